package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One payment counted on a team, as the settlement's transaction stores it: the order {@code LOCKED → PAID}; the
 * team's complete count + 1, its status {@code OPEN →} {@link #teamWhenFilled()} when that filled the last place, else
 * {@link #teamOtherwise()} (the guarded update computes which on the locked row); then, on the team read back in the
 * same transaction, {@link #callbackOwed} decides whether "this payment completed the team" and so owes its callback.
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
     * The callback this payment owes, decided on the team as this transaction left it (locked until commit, so two
     * last payers can neither both miss nor both see the completion): the completion callback when the payment
     * completed the team, else none. The stored status must be the one the domain derives from the stored counts.
     */
    public Optional<NotifyTaskEntity> callbackOwed(Team afterPayment, Supplier<List<String>> paidOutTradeNos) {
        TeamStatus expected = teamFrom().afterPayment(afterPayment.getCompleteCount(), afterPayment.getTargetCount());
        if (afterPayment.getStatus() != expected) {
            throw new IllegalStateException("team " + afterPayment.getTeamId() + " is " + afterPayment.getStatus()
                    + " after a payment, expected " + expected);
        }
        return afterPayment.completionCallback(routes, paidOutTradeNos);
    }
}
