package com.groupbuy.market.domain.activity.model.valobj;

/**
 * An activity's state (the stored {@code group_buy_activity.status}, design §6: 0 created, 1 effective, 2 expired, 3
 * abandoned). No code of ours changes it: operators set it in the table, and the trial and the lock only ask whether
 * the activity is on. Read only, so the stored code is mapped in one direction ({@link #fromCode}).
 */
public enum ActivityStatus {
    CREATED,
    EFFECTIVE,
    EXPIRED,
    ABANDONED,
    /**
     * A stored code none of the above names (an operator's typo, or a state added after this code): not on, as every
     * status but 1 always was. Guessing it meant "effective" would sell through an activity nobody opened.
     */
    UNKNOWN;

    /** The state a stored code names; {@link #UNKNOWN} for any code but 0 to 3. */
    public static ActivityStatus fromCode(int code) {
        return switch (code) {
            case 0 -> CREATED;
            case 1 -> EFFECTIVE;
            case 2 -> EXPIRED;
            case 3 -> ABANDONED;
            default -> UNKNOWN;
        };
    }

    /** Whether trials and locks may run: only an effective activity, never a state we do not know. */
    public boolean isEffective() {
        return this == EFFECTIVE;
    }
}
