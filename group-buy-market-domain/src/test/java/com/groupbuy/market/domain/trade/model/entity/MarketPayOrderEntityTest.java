package com.groupbuy.market.domain.trade.model.entity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A lock repeating an order's out trade number is that order only when it asks for the same goods, activity, team. */
class MarketPayOrderEntityTest {

    private final MarketPayOrderEntity order = LockedOrders.g1InActivity7();

    @Test
    void theSameRequestOpenedOrNamingItsOwnTeamAsksNothingElse() {
        assertThat(order.askedOtherwiseBy(repeat("g1", 7L, null))).isEmpty();
        assertThat(order.askedOtherwiseBy(repeat("g1", 7L, "10000001"))).isEmpty();
    }

    @Test
    void otherGoodsActivityOrNamedTeamAreEachNamed() {
        assertThat(order.askedOtherwiseBy(repeat("g2", 7L, null))).containsExactly("goodsId g1, asked g2");
        assertThat(order.askedOtherwiseBy(repeat("g1", 8L, null))).containsExactly("activityId 7, asked 8");
        assertThat(order.askedOtherwiseBy(repeat("g1", 7L, "10000002")))
                .containsExactly("teamId 10000001, asked 10000002");
        assertThat(order.askedOtherwiseBy(repeat("G1", 8L, "10000002"))).hasSize(3);
    }

    private static LockOrderCommand repeat(String goodsId, Long activityId, String teamId) {
        return LockOrderCommand.builder()
                .userId("u1")
                .teamId(teamId)
                .activityId(activityId)
                .goodsId(goodsId)
                .source("s01")
                .channel("c01")
                .outTradeNo("out-1")
                .build();
    }
}
