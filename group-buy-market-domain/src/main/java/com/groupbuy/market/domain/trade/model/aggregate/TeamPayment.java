package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.SettlementCallback;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One payment counted on a team, as the settlement's transaction stores it: the order {@code LOCKED → PAID}; the
 * team's complete count + 1, its status {@code OPEN →} {@link #teamWhenFilled()} when that pays the last place, else
 * {@link #teamOtherwise()} — two guarded updates, one per outcome, of which at most one matches the locked row; then
 * {@link #callbackOwed} turns "the update that paid the last place matched" into the team's callback.
 */
public final class TeamPayment {

    private final NotifyRoutes routes;

    public TeamPayment(NotifyRoutes routes) {
        this.routes = routes;
    }

    public OrderStatus orderFrom() {
        return OrderStatus.LOCKED;
    }

    public OrderStatus orderTo() {
        return orderFrom().pay();
    }

    public TeamStatus teamFrom() {
        return TeamStatus.OPEN;
    }

    public TeamStatus teamWhenFilled() {
        return teamFrom().afterPayment(true);
    }

    public TeamStatus teamOtherwise() {
        return teamFrom().afterPayment(false);
    }

    /**
     * The callback this payment owes: the team's completion callback when {@code paidLastPlace} (the guarded update
     * that pays the last place is the one that matched, on the row locked until commit, so two last payers can neither
     * both miss nor both see the completion), else none. It names the team as read with the order: its id, activity,
     * partner and channel never change. The trade numbers listed are those of the paid members of the team's own
     * partner ({@code paidOutTradeNosOf} answers them for a source and channel), read only when the callback is owed:
     * a member another partner slipped in before teams were kept to their partner is not this partner's to see
     * ({@link Team#belongsTo}).
     */
    public Optional<NotifyTaskEntity> callbackOwed(
            MemberOrderView order, boolean paidLastPlace, BiFunction<String, String, List<String>> paidOutTradeNosOf) {
        if (!paidLastPlace) {
            return Optional.empty();
        }
        return Optional.of(routes.teamCompleteTask(
                order.getTeamId(),
                order.getActivityId(),
                order.getSource(),
                order.getChannel(),
                order.getNotifyType(),
                order.getNotifyUrl(),
                new SettlementCallback(
                        order.getTeamId(), paidOutTradeNosOf.apply(order.getSource(), order.getChannel()))));
    }
}
