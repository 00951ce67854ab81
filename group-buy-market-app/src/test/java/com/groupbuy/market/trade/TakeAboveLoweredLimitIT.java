package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A take above the activity's take limit: the limit was 3 and the operator lowered it to 2 while a buyer held take 3
 * (takes 1 and 2 refunded). That take fills none of takes 1..2, so the unique biz id alone let two racing locks of the
 * buyer (two out trade numbers) take 2 and 1: three live orders under a limit of 2. Over real HTTP, MariaDB and
 * Redis, group commit of locks on (the default).
 */
@IntegrationTest
class TakeAboveLoweredLimitIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:9/cb";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(41800);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private long activityId;
    private String goodsId;

    /** An activity of s01/c01 with take limit 2 (lowered from 3) and teams of 20. */
    @BeforeEach
    void activityWithTakeLimitTwo() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        jdbc.update(
                "UPDATE group_buy_activity SET take_limit_count = 2, target = 20 WHERE activity_id = ?", activityId);
    }

    @Test
    void racingLocksOfABuyerHoldingATakeAboveTheLimitNeverExceedIt() throws Exception {
        assertThat(code(lock("u1", "", "o-held"))).isEqualTo("0000");
        // The take it holds as if locked third under the old limit of 3, takes 1 and 2 since refunded.
        String held = bizId("u1", "o-held");
        assertThat(held).endsWith("\u001F1");
        jdbc.update(
                "UPDATE group_buy_order_list SET biz_id = ? WHERE activity_id = ? AND user_id = 'u1' "
                        + "AND out_trade_no = 'o-held'",
                held.substring(0, held.length() - 1) + "3",
                activityId);

        // Ten locks of u1 at once, each with its own out trade number: all read one live take of two.
        List<String> codes = Race.run(10, i -> lock("u1", "", "o-race-" + i)).stream()
                .map(TakeAboveLoweredLimitIT::code)
                .toList();

        assertThat(liveTakes("u1"))
                .as("live orders under a take limit of 2: %s", codes)
                .isEqualTo(2);
        assertThat(codes.stream().filter("0000"::equals).count())
                .as(codes.toString())
                .isEqualTo(1);
        assertThat(codes).filteredOn(c -> !c.equals("0000")).allMatch("E0103"::equals);
    }

    private static String code(JsonNode answer) {
        return answer.path("code").asText();
    }

    private JsonNode lock(String userId, String teamId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\""
                        + outTradeNo + "\",\"notifyUrl\":\"" + NOTIFY_URL + "\"}");
    }

    private int liveTakes(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ? AND user_id = ? AND status <> 2",
                Integer.class,
                activityId,
                userId);
    }

    private String bizId(String userId, String outTradeNo) {
        return jdbc.queryForObject(
                "SELECT biz_id FROM group_buy_order_list WHERE activity_id = ? AND user_id = ? AND out_trade_no = ?",
                String.class,
                activityId,
                userId,
                outTradeNo);
    }
}
