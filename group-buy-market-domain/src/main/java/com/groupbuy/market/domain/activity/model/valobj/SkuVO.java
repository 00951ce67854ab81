package com.groupbuy.market.domain.activity.model.valobj;

import java.math.BigDecimal;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A goods and its original price. */
@Getter
@Builder
@AllArgsConstructor
public class SkuVO {

    private final String goodsId;
    private final String goodsName;
    private final BigDecimal originalPrice;
}
