package com.groupbuy.market.infrastructure.activity.po;

import java.math.BigDecimal;
import lombok.Data;

/** A row of sku. */
@Data
public class SkuPO {
    private String goodsId;
    private String goodsName;
    private BigDecimal originalPrice;
}
