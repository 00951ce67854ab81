package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import java.math.BigDecimal;

/** Orders for the lock's rule tests. */
public final class LockedOrders {

    private LockedOrders() {}

    /** A locked order: goods g1 in activity 7, team 10000001, 100.00 less 20.00. */
    public static MarketPayOrderEntity g1InActivity7() {
        return MarketPayOrderEntity.builder()
                .orderId("100000000001")
                .teamId("10000001")
                .activityId(7L)
                .goodsId("g1")
                .originalPrice(new BigDecimal("100.00"))
                .deductionPrice(new BigDecimal("20.00"))
                .payPrice(new BigDecimal("80.00"))
                .status(OrderStatus.LOCKED.code())
                .build();
    }
}
