package com.groupbuy.market.infrastructure.adapter.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTarget;
import com.groupbuy.market.infrastructure.dao.IGroupBuySettlementDao;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settlement transaction. Completion is read back from the team row after this transaction's own guarded
 * increment (the row stays locked until commit), never from a count read before: two last payers can't both
 * miss, or both see, completion.
 */
@Repository
public class SettlementRepository implements ISettlementRepository {

    static final String CATEGORY = "trade_settlement";
    private static final int TEAM_COMPLETE = 1;

    private final IGroupBuySettlementDao dao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;
    private final NotifyRoutes routes;
    private final ObjectMapper json = new ObjectMapper();

    public SettlementRepository(IGroupBuySettlementDao dao, INotifyTaskRepository notifyTasks,
                                TransactionTemplate transaction, NotifyRoutes routes) {
        this.dao = dao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
        this.routes = routes;
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return MemberOrders.toView(dao.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()));
    }

    @Override
    public int recordLatePayment(MemberOrderView order, SettleCommand command) {
        // The order's own partner is the caller (it was found by the caller's key), so the command's source/channel.
        dao.recordLatePayment(order.getOrderId(), order.getUserId(), order.getOutTradeNo(), command.getSource(),
                command.getChannel(), order.getTeamId(), order.getActivityId(), command.getOutTradeTime());
        Integer notices = dao.queryLatePaymentNotices(order.getOrderId());
        return notices == null ? 0 : notices;
    }

    @Override
    public long countLatePayments() {
        return dao.countLatePayments();
    }

    @Override
    public Long settle(MemberOrderView order, SettleCommand command) {
        return transaction.execute(status -> {
            if (dao.markPaid(order.getOrderId(), command.getOutTradeTime()) == 0
                    || dao.countPayment(order.getTeamId()) == 0) {
                throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
            }
            if (!Integer.valueOf(TEAM_COMPLETE).equals(dao.queryTeamStatus(order.getTeamId()))) {
                return null;
            }
            NotifyTarget target = routes.teamComplete(order.getNotifyType(), order.getNotifyUrl());
            return notifyTasks.saveTask(NotifyTaskEntity.builder()
                    .taskKey(order.getTeamId() + ":" + CATEGORY)
                    .activityId(order.getActivityId())
                    .teamId(order.getTeamId())
                    .source(order.getSource())
                    .channel(order.getChannel())
                    .notifyCategory(CATEGORY)
                    .notifyType(target.notifyType())
                    .notifyMq(target.routingKey())
                    .notifyUrl(target.notifyUrl())
                    .parameterJson(body(order.getTeamId()))
                    .build());
        });
    }

    private String body(String teamId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("teamId", teamId);
        body.put("outTradeNoList", dao.queryPaidOutTradeNos(teamId));
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
