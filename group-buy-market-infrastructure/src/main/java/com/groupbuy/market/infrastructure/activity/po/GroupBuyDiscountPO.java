package com.groupbuy.market.infrastructure.activity.po;

import lombok.Data;

/** A row of group_buy_discount. */
@Data
public class GroupBuyDiscountPO {
    private String discountId;
    private String discountName;
    private Integer discountType;
    private String marketPlan;
    private String marketExpr;
    private String tagId;
}
