package com.groupbuy.market.infrastructure.dao.po;

import lombok.Data;

import java.math.BigDecimal;

/** A row of sku. */
@Data
public class SkuPO {
    private String goodsId;
    private String goodsName;
    private BigDecimal originalPrice;
}
