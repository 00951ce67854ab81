package com.groupbuy.market.domain.activity.model.valobj;

/**
 * How an activity's teams were meant to form (the stored {@code group_buy_activity.group_type}: 0 forms automatically
 * when due, 1 only at its target). Stored but not read: every team forms when its last place is paid, whatever the
 * column says (docs/operations.md), so no answer depends on it, and an unknown code changes nothing either.
 */
public enum GroupType {
    /** 0, the column's default; "forms automatically when due" is not implemented. */
    FORMS_WHEN_DUE,
    /** 1: forms only at its target, which is what every team does. */
    FORMS_AT_TARGET,
    /** A stored code neither of the above names. */
    UNKNOWN;

    /** The type a stored code names; {@link #UNKNOWN} for any code but 0 and 1. */
    public static GroupType fromCode(int code) {
        return switch (code) {
            case 0 -> FORMS_WHEN_DUE;
            case 1 -> FORMS_AT_TARGET;
            default -> UNKNOWN;
        };
    }
}
