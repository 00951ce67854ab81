package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The settlement transaction. The team is read back after this transaction's own guarded increment (the row stays
 * locked until commit), never from a count read before, and the domain ({@link TeamPayment}) decides on that read
 * whether the payment owes a callback: two last payers can't both miss, or both see, completion.
 */
@Repository
public class SettlementRepository implements ISettlementRepository {

    private final IGroupBuySettlementDao dao;
    private final IGroupBuyOrderDao teamDao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;

    public SettlementRepository(
            IGroupBuySettlementDao dao,
            IGroupBuyOrderDao teamDao,
            INotifyTaskRepository notifyTasks,
            TransactionTemplate transaction) {
        this.dao = dao;
        this.teamDao = teamDao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return MemberOrders.toView(dao.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()));
    }

    @Override
    public int recordLatePayment(MemberOrderView order, SettleCommand command) {
        // The order's own partner is the caller (it was found by the caller's key), so the command's source/channel.
        dao.recordLatePayment(
                order.getOrderId(),
                order.getUserId(),
                order.getOutTradeNo(),
                command.getSource(),
                command.getChannel(),
                order.getTeamId(),
                order.getActivityId(),
                command.getOutTradeTime());
        Integer notices = dao.queryLatePaymentNotices(order.getOrderId());
        return notices == null ? 0 : notices;
    }

    @Override
    public long countLatePayments() {
        return dao.countLatePayments();
    }

    @Override
    public Long settle(MemberOrderView order, SettleCommand command, TeamPayment payment) {
        String teamId = order.getTeamId();
        return transaction.execute(status -> {
            if (dao.markPaid(
                                    order.getOrderId(),
                                    command.getOutTradeTime(),
                                    payment.orderFrom().code(),
                                    payment.orderTo().code())
                            == 0
                    || dao.countPayment(
                                    teamId,
                                    payment.teamFrom().code(),
                                    payment.teamWhenFilled().code(),
                                    payment.teamOtherwise().code())
                            == 0) {
                throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
            }
            return payment.callbackOwed(
                            Teams.toTeam(teamDao.queryByTeamId(teamId)),
                            () -> dao.queryPaidOutTradeNos(teamId, OrderStatus.PAID.code()))
                    .map(notifyTasks::saveTask)
                    .orElse(null);
        });
    }
}
