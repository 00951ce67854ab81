package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundCallback;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;

/**
 * A member order leaving its team, decided on the order and team as read ({@link RefundType}), for the refund's
 * transaction to store with guarded updates: the order {@code orderFrom → orderTo}; the team's counts given back while
 * the team is still in one of {@code teamFrom} (any state for an unpaid place); a formed team's status becomes
 * {@code teamWhenNoPaidLeft} or {@code teamOtherwise} (the update computes which on the locked row); and the callbacks.
 */
public record MemberRefund(
        String orderId,
        String teamId,
        RefundType type,
        OrderStatus orderFrom,
        OrderStatus orderTo,
        List<TeamStatus> teamFrom,
        TeamStatus teamWhenNoPaidLeft,
        TeamStatus teamOtherwise,
        List<NotifyTaskEntity> callbacks) {

    public MemberRefund {
        teamFrom = List.copyOf(teamFrom);
        callbacks = List.copyOf(callbacks);
    }

    /** The refund of {@code order} as {@code type} (the kind its states call for, or an unpaid close). */
    public static MemberRefund of(MemberOrderView order, RefundType type, NotifyRoutes routes) {
        OrderStatus orderFrom = order.getOrderStatus();
        OrderStatus orderTo = orderFrom.close();
        if (RefundType.of(orderFrom, order.getTeamStatus()) != type) {
            throw new IllegalArgumentException("order " + order.getOrderId() + " (" + orderFrom + ", team "
                    + order.getTeamStatus() + ") is no " + type + " refund");
        }
        List<TeamStatus> teamFrom = switch (type) {
            case UNPAID_UNLOCK -> List.of();
            case PAID_UNFORMED -> List.of(order.getTeamStatus());
            case PAID_FORMED -> TeamStatus.formed();
        };
        // Every state the guard admits leads to the same targets (a formed team: complete or already refunded once).
        TeamStatus teamFromAny = type == RefundType.UNPAID_UNLOCK ? null : teamFrom.get(0);
        TeamStatus whenNoPaidLeft = teamFromAny == null ? null : teamFromAny.afterPaidMemberLeft(0);
        TeamStatus otherwise = teamFromAny == null ? null : teamFromAny.afterPaidMemberLeft(1);
        for (TeamStatus from : teamFrom) {
            if (from.afterPaidMemberLeft(0) != whenNoPaidLeft || from.afterPaidMemberLeft(1) != otherwise) {
                throw new IllegalStateException("team states " + teamFrom + " disagree on a refund's outcome");
            }
        }
        RefundCallback body = new RefundCallback(
                type,
                order.getUserId(),
                order.getTeamId(),
                order.getActivityId(),
                order.getOrderId(),
                order.getOutTradeNo());
        return new MemberRefund(
                order.getOrderId(),
                order.getTeamId(),
                type,
                orderFrom,
                orderTo,
                teamFrom,
                whenNoPaidLeft,
                otherwise,
                toldByTheExpiry(type, order.getTeamStatus())
                        ? List.of()
                        // To the member order's own partner (its refund URL, its secret), with the team's notify type:
                        // a member order has no notify settings of its own. The team's partner but for a legacy mixed
                        // team.
                        : routes.refundTasks(body, order.memberSource(), order.memberChannel(), order.getNotifyType()));
    }

    /**
     * "A paid member of a failed team was told when the team failed": a failed team still holding a paid member failed
     * by its expiry ({@link Team#expire}: a formed team fails only once no paid member is left), which wrote that
     * member's {@code paid_unformed} callbacks, so its mall's refund owes none again. Before, the refund wrote them
     * again and only the outbox's unique task key kept the mall from being told twice; once retention had deleted the
     * expiry's delivered callback (7 days after delivery by default), a refund told the mall a second time, under a
     * new webhook-id, to return the money.
     */
    static boolean toldByTheExpiry(RefundType type, TeamStatus teamStatus) {
        return type == RefundType.PAID_UNFORMED && teamStatus == TeamStatus.FAILED;
    }
}
