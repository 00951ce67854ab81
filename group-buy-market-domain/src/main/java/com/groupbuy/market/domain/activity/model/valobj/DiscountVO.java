package com.groupbuy.market.domain.activity.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A discount plan: {@code marketPlan} (ZJ, MJ, ZK, N) with its expression; tag discounts apply to members only. */
@Getter
@Builder
@AllArgsConstructor
public class DiscountVO {

    private final String discountId;
    private final String discountName;
    private final DiscountType discountType;
    /** The stored {@code discount_type} when it is none we know ({@link DiscountType#UNKNOWN}), else null. */
    private final Integer unknownTypeCode;

    private final String marketPlan;
    private final String marketExpr;
    private final String tagId;

    /** Base or tag; anything else is a configuration the trial refuses rather than reading as base. */
    public boolean isKnownType() {
        return discountType != null && discountType.isKnown();
    }

    public boolean isTagOnly() {
        return discountType != null && discountType.isMembersOnly();
    }

    /** Whether it names a tag at all: a blank tag is no tag, only one nobody is a member of. */
    public boolean namesTag() {
        return tagId != null && !tagId.isBlank();
    }
}
