package com.groupbuy.market.domain.trade.service.settlement;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.SettledOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.domain.trade.service.settlement.filter.OrderExistsFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.SourceChannelFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.TeamOpenFilter;
import com.groupbuy.market.domain.trade.service.settlement.filter.TradeTimeFilter;
import com.groupbuy.market.types.design.chain.RuleChain;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Settlement: the mall's buyer paid. Within the partner's and the user's rates ({@link TradeRateGuard}, asked first),
 * the partner's own order is read, by the caller's whole key (source, channel, user, out trade number, compared
 * exactly): a payment already settled answers exactly as its first settlement, whatever happened since (a refund, or
 * its partner refused on settlement since, included) and whether Redis answers now, and changes nothing: malls
 * repeat payment notices, and a committed write is never answered as an error (an E0105 there read as "payment not
 * taken", and the mall refunded a buyer whose payment we took). Then admission (source/channel, the order exists), so a
 * refused partner learns nothing else (a number it never locked, another partner's order: E0105). An order closed
 * before it was ever paid (timeout, expiry, unpaid refund) answers E0208, the buyer paid late and the mall must refund
 * them; the notice is recorded for operators and nothing else changes. A paid notice a payment rule refuses (E0106,
 * E0206), or of a partner refused on settlement (E0105) for its own unsettled order, is recorded the same way.
 * Otherwise the payment rules (time window, team open) and the repository's atomic write that marks the
 * order paid, counts it on the team and, if it completed the team, writes the callback task in the same transaction —
 * under the dispatcher's lease when it gives one, so the delivery after commit needs no claim of its own (#19). A
 * payment that leaves places unpaid is one statement with no transaction around it (#19). The task is handed to
 * delivery after commit; the answer never waits for the partner.
 */
@Slf4j
@Service
public class TradeSettlementService {

    private final ISettlementRepository repository;
    private final INotifyDispatcher dispatcher;
    private final TradeRateGuard rateGuard;
    private final RuleChain<SettleCommand, SettleContext> admission;
    private final RuleChain<SettleCommand, SettleContext> payment;
    /** The payment's transitions and the callback it owes, decided inside the settlement's transaction. */
    private final TeamPayment teamPayment;

    public TradeSettlementService(
            ISettlementRepository repository,
            INotifyDispatcher dispatcher,
            SourceChannelPolicy sourceChannelPolicy,
            NotifyRoutes routes,
            TradeRateGuard rateGuard) {
        this.repository = repository;
        this.rateGuard = rateGuard;
        this.dispatcher = dispatcher;
        this.teamPayment = new TeamPayment(routes);
        this.admission = RuleChain.of(new SourceChannelFilter(sourceChannelPolicy), new OrderExistsFilter());
        this.payment = RuleChain.of(new TradeTimeFilter(), new TeamOpenFilter());
    }

    public SettledOrderEntity settle(SettleCommand command) {
        DependencyUnavailableException uncounted = null;
        try {
            // #17: within the partner's and the user's rate, else 0006 with nothing read or written.
            rateGuard.admit("settle", command.getSource(), command.getChannel(), command.getUserId());
        } catch (DependencyUnavailableException e) {
            // The rates cannot be counted (Redis unavailable): a new payment is refused below (E0401, fail closed),
            // after the read that tells a repeat of a payment we took, which needs the database alone.
            uncounted = e;
        }
        // The repeat of a payment we took is answered before any rule, the black/allowlist (a live switch) included.
        MemberOrderView order = repository.queryOrder(command.orderKey());
        if (order != null && order.wasSettled()) {
            log.info("settle repeated outTradeNo={} team={}", command.getOutTradeNo(), order.getTeamId());
            return answer(order, null);
        }
        if (uncounted != null) {
            throw uncounted;
        }
        SettleContext context = new SettleContext();
        context.setOrder(order);
        try {
            admission.apply(command, context);
        } catch (AppException e) {
            if (order != null && ResponseCode.E0105.getCode().equals(e.getCode())) {
                // The partner is refused but its buyer paid for its own unsettled order: recorded like the others.
                throw refusedPayment(order, command, e);
            }
            throw e;
        }
        if (order.getOrderStatus() == OrderStatus.CLOSED) {
            throw latePayment(order, command);
        }
        try {
            payment.apply(command, context);
        } catch (AppException e) {
            // E0106 / E0206: the buyer paid and we do not take it; the mall must refund them, so it is recorded too.
            throw refusedPayment(order, command, e);
        }

        // Only the payment that completes the team writes its callback under this lease; every payment asks for one
        // (a value, nothing reserved), since which payment completes the team is known only when it is written: the
        // counts read are a guess, and with group commit the payments of a team read before any of them is written
        // (#19: asked only on a guess of "last", most completing callbacks of a batch were written unleased and
        // claimed one by one after commit). None while the dispatch pool is full: written unleased, handed over by id.
        NotifyLease lease = dispatcher.callbackLease();
        OwedCallback owed;
        try {
            owed = repository.settle(order, command, teamPayment, lease);
        } catch (AppException e) {
            if (!ResponseCode.UPDATE_ZERO.getCode().equals(e.getCode())) {
                throw e;
            }
            // Someone changed the order or team between our read and our write: answer from what is there now.
            // A concurrent notice of the same payment settled it (same answer), or a close won the race (paid late).
            MemberOrderView now = repository.queryOrder(command.orderKey());
            if (now != null && now.wasSettled()) {
                return answer(now, null);
            }
            if (now != null && now.getOrderStatus() == OrderStatus.CLOSED) {
                throw latePayment(now, command);
            }
            throw refusedPayment(now != null ? now : order, command, new AppException(ResponseCode.E0206));
        }
        log.info(
                "settle outTradeNo={} team={} completedTeam={}",
                command.getOutTradeNo(),
                order.getTeamId(),
                owed != null);
        if (owed == null) {
            return answer(order, null);
        }
        if (owed.leased() != null) {
            dispatcher.dispatchLeased(owed.leased(), lease);
        } else {
            dispatcher.dispatchAsync(owed.taskId());
        }
        // Other partners' completion callbacks of a team mixed before teams were kept to their partner (none else).
        owed.othersOwed().forEach(dispatcher::dispatchAsync);
        return answer(order, owed.taskId());
    }

    /** The buyer paid for an order we had closed unpaid: recorded (counted per order), and the mall told to refund. */
    private AppException latePayment(MemberOrderView order, SettleCommand command) {
        int notices = repository.recordLatePayment(order, command, ResponseCode.E0208.getCode());
        log.warn(
                "settle late payment outTradeNo={} order={} team={} notices={}: closed before it was paid, "
                        + "the mall must refund its buyer",
                command.getOutTradeNo(),
                order.getOrderId(),
                order.getTeamId(),
                notices);
        return new AppException(ResponseCode.E0208);
    }

    /**
     * The buyer paid but a payment rule refuses the order (trade time outside the team's window, team no longer in
     * progress): the order stays as it is, the mall holds the buyer's money, so the notice is recorded beside the late
     * payments (one row per order, whatever the repeats) and answered with the rule's code.
     */
    private AppException refusedPayment(MemberOrderView order, SettleCommand command, AppException refusal) {
        int notices = repository.recordLatePayment(order, command, refusal.getCode());
        log.warn(
                "settle refused payment outTradeNo={} order={} team={} code={} notices={}: the mall must refund its "
                        + "buyer",
                command.getOutTradeNo(),
                order.getOrderId(),
                order.getTeamId(),
                refusal.getCode(),
                notices);
        return refusal;
    }

    private static SettledOrderEntity answer(MemberOrderView order, Long taskId) {
        return SettledOrderEntity.builder()
                .userId(order.getUserId())
                .teamId(order.getTeamId())
                .activityId(order.getActivityId())
                .outTradeNo(order.getOutTradeNo())
                .notifyTaskId(taskId)
                .build();
    }
}
