package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.List;

/**
 * A team's state (the stored {@code group_buy_order.status}) and its transitions:
 * <pre>
 * OPEN ──last payment──> COMPLETE ──paid member leaves──> COMPLETE_WITH_REFUND
 *   │                       │                                │
 *   └──window ends──> FAILED <──────last paid member leaves──┘
 * </pre>
 * A paid member leaving an open or failed team leaves its state as it is. Every transition is stored by one guarded
 * update ({@code WHERE status = from}); the database refuses a stale one, this type refuses an illegal one.
 */
public enum TeamStatus {
    OPEN(0),
    COMPLETE(1),
    FAILED(2),
    COMPLETE_WITH_REFUND(3);

    private final int code;

    TeamStatus(int code) {
        this.code = code;
    }

    /** The stored value. */
    public int code() {
        return code;
    }

    /** values() copies its array on every call; of() runs for every row read (#19). */
    private static final TeamStatus[] ALL = values();

    public static TeamStatus of(int code) {
        for (TeamStatus status : ALL) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no team status " + code);
    }

    /** Formed: every place was paid once (a refund since does not unform it until its last payer leaves). */
    public boolean isFormed() {
        return this == COMPLETE || this == COMPLETE_WITH_REFUND;
    }

    /** The states a formed team may be in, for a guard that takes either. */
    public static List<TeamStatus> formed() {
        return List.of(COMPLETE, COMPLETE_WITH_REFUND);
    }

    /** A payment counted on an open team: it completes the team when it filled the last place. */
    public TeamStatus afterPayment(boolean filledLastPlace) {
        if (this != OPEN) {
            throw refused("a payment");
        }
        return filledLastPlace ? COMPLETE : OPEN;
    }

    /** {@link #afterPayment(boolean)} with the counts after the payment. */
    public TeamStatus afterPayment(int completeCountAfter, int targetCount) {
        return afterPayment(completeCountAfter >= targetCount);
    }

    /**
     * A paid member left (refund): an open or failed team stays as it is; a formed team becomes "complete with a
     * refund", or failed when no paid member is left.
     */
    public TeamStatus afterPaidMemberLeft(int paidMembersLeft) {
        if (paidMembersLeft < 0) {
            throw new IllegalArgumentException("paid members left " + paidMembersLeft);
        }
        return switch (this) {
            case OPEN, FAILED -> this;
            case COMPLETE, COMPLETE_WITH_REFUND -> paidMembersLeft == 0 ? FAILED : COMPLETE_WITH_REFUND;
        };
    }

    /** The window ended before the team filled: only an open team fails. */
    public TeamStatus expire() {
        if (this != OPEN) {
            throw refused("expiry");
        }
        return FAILED;
    }

    private IllegalStateTransitionException refused(String event) {
        return new IllegalStateTransitionException("team", name(), event);
    }
}
