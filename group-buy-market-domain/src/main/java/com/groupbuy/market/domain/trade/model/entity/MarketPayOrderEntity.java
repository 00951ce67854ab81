package com.groupbuy.market.domain.trade.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

import java.math.BigDecimal;

/** A member order: the place a buyer holds in a team and the price the mall charges for it. */
@Getter
@Builder
@AllArgsConstructor
public class MarketPayOrderEntity {

    public static final int LOCKED = 0;
    public static final int PAID = 1;
    public static final int CLOSED = 2;

    private final String orderId;
    private final String teamId;
    private final Long activityId;
    private final BigDecimal originalPrice;
    private final BigDecimal deductionPrice;
    private final BigDecimal payPrice;
    private final Integer status;
}
