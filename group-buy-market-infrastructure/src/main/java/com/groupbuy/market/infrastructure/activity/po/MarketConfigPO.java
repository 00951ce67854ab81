package com.groupbuy.market.infrastructure.activity.po;

import lombok.Data;

/**
 * One statement's reading of a partner's goods configuration: the activity {@code sc_sku_activity} maps it to (null:
 * no mapping), that activity's row, its discount's and the goods' (each null when absent).
 */
@Data
public class MarketConfigPO {
    private Long mappedActivityId;
    private GroupBuyActivityPO activity;
    private GroupBuyDiscountPO discount;
    private SkuPO sku;
}
