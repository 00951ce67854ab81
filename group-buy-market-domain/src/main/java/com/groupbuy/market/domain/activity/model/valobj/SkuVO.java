package com.groupbuy.market.domain.activity.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

import java.math.BigDecimal;

/** A goods and its original price. */
@Getter
@Builder
@AllArgsConstructor
public class SkuVO {

    private final String goodsId;
    private final String goodsName;
    private final BigDecimal originalPrice;
}
