package com.groupbuy.market.domain.trade.service.settlement;

import com.groupbuy.market.domain.trade.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.SettledOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.service.settlement.filter.OrderExistsFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.SourceChannelFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.TeamOpenFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.TradeTimeFilter;
import com.groupbuy.market.types.design.chain.RuleChain;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Settlement: the mall's buyer paid. Admission (source/channel, order exists) first; an order already paid answers
 * the same as its first settlement and changes nothing; otherwise the payment rules (time window, team open) and
 * one transaction that marks the order paid, counts it on the team and, if it completed the team, writes the
 * callback task. The task is handed to delivery after commit; the answer never waits for the partner.
 */
@Slf4j
@Service
public class TradeSettlementService {

    private final ISettlementRepository repository;
    private final INotifyDispatcher dispatcher;
    private final RuleChain<SettleCommand, SettleContext> admission;
    private final RuleChain<SettleCommand, SettleContext> payment;

    public TradeSettlementService(ISettlementRepository repository, INotifyDispatcher dispatcher,
                                  SourceChannelPolicy sourceChannelPolicy) {
        this.repository = repository;
        this.dispatcher = dispatcher;
        this.admission = RuleChain.of(new SourceChannelFilter(sourceChannelPolicy), new OrderExistsFilter(repository));
        this.payment = RuleChain.of(new TradeTimeFilter(), new TeamOpenFilter());
    }

    public SettledOrderEntity settle(SettleCommand command) {
        SettleContext context = admission.apply(command, new SettleContext());
        MemberOrderView order = context.getOrder();
        if (order.getOrderStatus() == MarketPayOrderEntity.PAID) {
            log.info("settle repeated outTradeNo={} team={}", command.getOutTradeNo(), order.getTeamId());
            return answer(order, null);
        }
        payment.apply(command, context);

        Long taskId;
        try {
            taskId = repository.settle(order, command);
        } catch (AppException e) {
            if (!ResponseCode.UPDATE_ZERO.getCode().equals(e.getCode())) {
                throw e;
            }
            // Someone changed the order or team between our read and our write: answer from what is there now.
            MemberOrderView now = repository.queryOrder(command.getUserId(), command.getOutTradeNo());
            if (now != null && now.getOrderStatus() == MarketPayOrderEntity.PAID) {
                return answer(now, null);
            }
            throw now != null && now.getOrderStatus() == MarketPayOrderEntity.CLOSED
                    ? new AppException(ResponseCode.E0104) : new AppException(ResponseCode.E0206);
        }
        log.info("settle outTradeNo={} team={} completedTeam={}", command.getOutTradeNo(), order.getTeamId(),
                taskId != null);
        if (taskId != null) {
            dispatcher.dispatchAsync(taskId);
        }
        return answer(order, taskId);
    }

    private static SettledOrderEntity answer(MemberOrderView order, Long taskId) {
        return SettledOrderEntity.builder().userId(order.getUserId()).teamId(order.getTeamId())
                .activityId(order.getActivityId()).outTradeNo(order.getOutTradeNo()).notifyTaskId(taskId).build();
    }
}
