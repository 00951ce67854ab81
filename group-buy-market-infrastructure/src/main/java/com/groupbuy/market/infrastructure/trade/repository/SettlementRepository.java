package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The settlement transaction. The team's count goes up by one of two guarded updates, the one that leaves places
 * unpaid and the one that pays the last place; at most one matches the row (locked until commit), so which one matched
 * says whether this payment completed the team, never a count read before: two last payers can't both miss, or both
 * see, completion. The counts read with the order only pick which update to try first (the other follows when it
 * matches nothing), so a payment costs one update of the team and no read of it (#19: the read-back of the whole team
 * row was a statement and a 16-column mapping per settlement).
 */
@Repository
public class SettlementRepository implements ISettlementRepository {

    private final IGroupBuySettlementDao dao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;

    public SettlementRepository(
            IGroupBuySettlementDao dao, INotifyTaskRepository notifyTasks, TransactionTemplate transaction) {
        this.dao = dao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return MemberOrders.toView(dao.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()), key);
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
    public OwedCallback settle(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        String teamId = order.getTeamId();
        return transaction.execute(status -> {
            if (dao.markPaid(
                            order.getOrderId(),
                            command.getOutTradeTime(),
                            payment.orderFrom().code(),
                            payment.orderTo().code())
                    == 0) {
                throw changedMeanwhile();
            }
            boolean paidLastPlace = order.paymentLooksLikeTheLast();
            if (countPayment(teamId, payment, paidLastPlace) == 0) {
                paidLastPlace = !paidLastPlace;
                if (countPayment(teamId, payment, paidLastPlace) == 0) {
                    throw changedMeanwhile();
                }
            }
            return payment.callbackOwed(
                            order, paidLastPlace, () -> dao.queryPaidOutTradeNos(teamId, OrderStatus.PAID.code()))
                    .map(task -> save(task, callbackLease))
                    .orElse(null);
        });
    }

    /**
     * Under the lease when there is one (#19: the delivery after commit then needs no claim); a task key already taken
     * (never by a settlement: a team completes once) names the task written before, unleased.
     */
    private OwedCallback save(NotifyTaskEntity task, NotifyLease lease) {
        if (lease != null) {
            NotifyTaskVO leased = notifyTasks.saveLeased(task, lease);
            if (leased != null) {
                return new OwedCallback(leased.getId(), leased);
            }
        }
        return new OwedCallback(notifyTasks.saveTask(task), null);
    }

    /** The team's count + 1 in the shape that pays its last place or in the one that leaves places unpaid. */
    private int countPayment(String teamId, TeamPayment payment, boolean lastPlace) {
        return lastPlace
                ? dao.countPaymentFillingLastPlace(
                        teamId,
                        payment.teamFrom().code(),
                        payment.teamWhenFilled().code())
                : dao.countPaymentLeavingPlaces(
                        teamId,
                        payment.teamFrom().code(),
                        payment.teamOtherwise().code());
    }

    private static AppException changedMeanwhile() {
        return new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
    }
}
