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
 * A refund frees a take in the middle: with take limit 2, a user who locked twice (takes 1 and 2) and refunded the
 * first holds take 2 only, so the next lock's count + 1 (2) is a take still held. That lock is within the limit and
 * gets the free take (1); only a real full limit answers {@code E0103}, also when locks of that user race for the one
 * free take. Over real HTTP, MariaDB and Redis, with group commit of locks on (the default);
 * {@link TakeSequenceWrittenAloneIT} runs the same with every lock written alone.
 */
@IntegrationTest
class TakeSequenceIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:9/cb";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(15000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    private long activityId;
    private String goodsId;

    /** An activity of s01/c01 with take limit 2 and teams of 20 (room for every racer of a join). */
    @BeforeEach
    void activityWithTakeLimitTwo() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        jdbc.update(
                "UPDATE group_buy_activity SET take_limit_count = 2, target = 20 WHERE activity_id = ?", activityId);
    }

    @Test
    void aLockAfterTheFirstTakeWasRefundedGetsTheFreeTakeAndTheLimitStillHolds() throws Exception {
        assertThat(code(lock("u1", "", "o-1"))).isEqualTo("0000");
        assertThat(code(lock("u1", "", "o-2"))).isEqualTo("0000");
        JsonNode refunded = refund("u1", "o-1");
        assertThat(code(refunded)).as(refunded.toString()).isEqualTo("0000");
        assertThat(bizId("u1", "o-1")).as("the first take freed").isNull();

        JsonNode again = lock("u1", "", "o-3");

        assertThat(code(again))
                .as("one live take of two: within the limit although take 2 is held (%s)", again)
                .isEqualTo("0000");
        assertThat(bizId("u1", "o-3")).as("the free take").endsWith("\u001F1");
        assertThat(code(lock("u1", "", "o-4"))).as("two live takes of two").isEqualTo("E0103");
        assertThat(liveTakes("u1")).isEqualTo(2);
        assertThat(orderRows("u1")).isEqualTo(3);
    }

    @Test
    void racingLocksForTheOneFreeTakeGetItOnceAndGiveTheirPlacesBack() throws Exception {
        String teamId = lock("host", "", "h-1").path("data").path("teamId").asText();
        assertThat(code(lock("racer", "", "r-1"))).isEqualTo("0000");
        assertThat(code(lock("racer", "", "r-2"))).isEqualTo("0000");
        assertThat(code(refund("racer", "r-1"))).isEqualTo("0000");

        // Ten joins of the host's team by racer at once: all see one live take and try take 2 (held), then the free
        // take 1, which the unique biz id gives to one of them; the others find no free take left.
        List<String> codes = race(10, i -> lock("racer", teamId, "r-race-" + i)).stream()
                .map(TakeSequenceIT::code)
                .toList();

        assertThat(codes.stream().filter("0000"::equals).count())
                .as(codes.toString())
                .isEqualTo(1);
        assertThat(codes).filteredOn(c -> !c.equals("0000")).allMatch("E0103"::equals);
        assertThat(liveTakes("racer")).isEqualTo(2);
        assertThat(jdbc.queryForList(
                        "SELECT biz_id FROM group_buy_order_list WHERE activity_id = ? AND user_id = 'racer' "
                                + "AND biz_id IS NOT NULL",
                        String.class,
                        activityId))
                .hasSize(2)
                .doesNotHaveDuplicates();
        assertThat(counts.lockCount(teamId))
                .as("host and the one racer that got in")
                .isEqualTo(2);
        assertThat(counts.redisPlaces(teamId))
                .as("the refused racers gave their places back")
                .isEqualTo(2);
    }

    private static String code(JsonNode answer) {
        return answer.path("code").asText();
    }

    private static List<JsonNode> race(int threads, Race.Call call) throws Exception {
        return Race.run(threads, call);
    }

    private JsonNode lock(String userId, String teamId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\""
                        + outTradeNo + "\",\"notifyUrl\":\"" + NOTIFY_URL + "\"}");
    }

    private JsonNode refund(String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                REFUND,
                "{\"userId\":\"" + userId + "\",\"outTradeNo\":\"" + outTradeNo
                        + "\",\"source\":\"s01\",\"channel\":\"c01\"}");
    }

    private int orderRows(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ? AND user_id = ?",
                Integer.class,
                activityId,
                userId);
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
