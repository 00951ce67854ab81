package com.groupbuy.market.domain.trade.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Getter;

/**
 * What leaving a team means, decided by the order's and the team's state; each kind has the callback category and
 * the {@code type} the mall branches on (did it take money, did the team form).
 */
@Getter
@AllArgsConstructor
public enum RefundType {

    /** A lock never paid: only the place is given back; the mall has no money to return. */
    UNPAID_UNLOCK("unpaid_unlock", "trade_unpaid2refund", "the lock is closed and its place released"),
    /** Paid, but the team has not formed (or never will): the mall returns the money. */
    PAID_UNFORMED(
            "paid_unformed", "trade_paid2refund", "the paid order left a team that has not formed; return the money"),
    /** Paid in a team that formed: the mall returns the money; the team stays formed until its last payer leaves. */
    PAID_FORMED("paid_formed", "trade_paid_team2refund", "the paid order left a formed team; return the money");

    private final String type;
    private final String notifyCategory;
    /** What the mall reads in the refund answer's {@code info}. */
    private final String effect;

    /** The kind for a live order (locked or paid); a closed order has nothing left to refund. */
    public static RefundType of(OrderStatus orderStatus, TeamStatus teamStatus) {
        return switch (orderStatus) {
            case LOCKED -> UNPAID_UNLOCK;
            case PAID -> teamStatus.isFormed() ? PAID_FORMED : PAID_UNFORMED;
            case CLOSED -> throw new IllegalArgumentException("order status " + orderStatus + " has nothing to refund");
        };
    }
}
