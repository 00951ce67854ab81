package com.groupbuy.market.domain.activity.model.valobj;

/** Whom a discount plan prices (the stored {@code group_buy_discount.discount_type}). */
public enum DiscountType {
    /** 0, the column's default: every buyer. */
    BASE,
    /** 1: members of the discount's tag only; everyone else pays the original price. */
    TAG,
    /**
     * A stored code neither of the above names. Once read as a base discount, so a mistyped "members only" gave every
     * buyer the group price: the trial refuses it by name instead ({@link #isKnown}).
     */
    UNKNOWN;

    /** The type a stored code names; {@link #UNKNOWN} for any code but 0 and 1. */
    public static DiscountType fromCode(int code) {
        return switch (code) {
            case 0 -> BASE;
            case 1 -> TAG;
            default -> UNKNOWN;
        };
    }

    /** Whether a trial may price with it at all. */
    public boolean isKnown() {
        return this != UNKNOWN;
    }

    /** Whether only members of the discount's tag get its price. */
    public boolean isMembersOnly() {
        return this == TAG;
    }
}
