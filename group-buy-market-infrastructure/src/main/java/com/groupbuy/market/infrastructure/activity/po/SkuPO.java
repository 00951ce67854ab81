package com.groupbuy.market.infrastructure.activity.po;

import lombok.Data;

import java.math.BigDecimal;

/** A row of sku. */
@Data
public class SkuPO {
    private String goodsId;
    private String goodsName;
    private BigDecimal originalPrice;
}
