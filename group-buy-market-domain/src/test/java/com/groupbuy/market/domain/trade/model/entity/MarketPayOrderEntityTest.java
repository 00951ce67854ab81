package com.groupbuy.market.domain.trade.model.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import org.junit.jupiter.api.Test;

/**
 * A lock repeating an order's out trade number is that order only when it asks for the same goods, activity, team,
 * and, for the lock that opened its team, the same notify target.
 */
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

    @Test
    void theOpeningLocksRepeatAskingForAnotherNotifyTypeOrUrlIsNamed() {
        MarketPayOrderEntity opened = MarketPayOrderEntity.builder()
                .orderId("100000000001")
                .teamId("10000001")
                .activityId(7L)
                .goodsId("g1")
                .openedWith(new NotifySettings("HTTP", "http://a.example/cb"))
                .build();

        assertThat(opened.askedOtherwiseBy(repeat("g1", 7L, null, "HTTP", "http://a.example/cb")))
                .isEmpty();
        assertThat(opened.askedOtherwiseBy(repeat("g1", 7L, null, "HTTP", "http://b.example/cb")))
                .containsExactly("notifyUrl http://a.example/cb, asked http://b.example/cb");
        assertThat(opened.askedOtherwiseBy(repeat("g1", 7L, null, "HTTP", "http://a.example/cb ")))
                .hasSize(1);
        assertThat(opened.askedOtherwiseBy(repeat("g1", 7L, null, "MQ", null)))
                .containsExactly("notifyType HTTP, asked MQ");
    }

    @Test
    void aJoinedOrdersRepeatIsNotHeldToTheTeamsNotifyTarget() {
        // LockedOrders' order carries no opening notify target, as an order that joined its team.
        assertThat(order.askedOtherwiseBy(repeat("g1", 7L, null, "MQ", null))).isEmpty();
        assertThat(order.askedOtherwiseBy(repeat("g1", 7L, "10000001", "HTTP", "http://b.example/cb")))
                .isEmpty();
    }

    private static LockOrderCommand repeat(
            String goodsId, Long activityId, String teamId, String notifyType, String notifyUrl) {
        return LockOrderCommand.builder()
                .userId("u1")
                .teamId(teamId)
                .activityId(activityId)
                .goodsId(goodsId)
                .source("s01")
                .channel("c01")
                .outTradeNo("out-1")
                .notifyType(notifyType)
                .notifyUrl(notifyUrl)
                .build();
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
