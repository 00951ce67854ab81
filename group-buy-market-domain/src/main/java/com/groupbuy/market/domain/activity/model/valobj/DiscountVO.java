package com.groupbuy.market.domain.activity.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A discount plan: {@code marketPlan} (ZJ, MJ, ZK, N) with its expression; tag discounts apply to members only. */
@Getter
@Builder
@AllArgsConstructor
public class DiscountVO {

    public static final int TYPE_BASE = 0;
    public static final int TYPE_TAG = 1;

    private final String discountId;
    private final String discountName;
    private final Integer discountType;
    private final String marketPlan;
    private final String marketExpr;
    private final String tagId;

    /** 0 (base) or 1 (tag); anything else is a configuration the trial refuses rather than reading as base. */
    public boolean isKnownType() {
        return discountType != null && (discountType == TYPE_BASE || discountType == TYPE_TAG);
    }

    public boolean isTagOnly() {
        return discountType != null && discountType == TYPE_TAG;
    }
}
