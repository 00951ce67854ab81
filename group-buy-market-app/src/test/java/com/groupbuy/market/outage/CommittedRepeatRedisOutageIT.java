package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A committed write is never answered as an error, Redis down included. With a rate limit on, lock and settlement
 * ask Redis (the rate buckets) before anything else; while this service's Redis (a private redis-server of the test)
 * is down, a mall's retry of a lock or a payment whose first attempt committed (its answer lost) is answered as the
 * repeat it is — its order, {@code 0000} — since the answer needs the database only, while a new lock, a new payment
 * and another partner's order under the same out trade number are still refused 503 {@code E0401} with nothing
 * written (no place is taken, and no write goes past an uncounted rate).
 */
@IntegrationTest
@PrivateRedisServer
@TestPropertySource(properties = {"gbm.rate-limit.user=100", "gbm.rate-limit.pair-default=1000"})
class CommittedRepeatRedisOutageIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final long ACTIVITY = 27_300;
    private static final String NOTIFY = "http://127.0.0.1:1/cb";

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void repeatsOfCommittedLocksAndPaymentsAreAnsweredWhileRedisIsDownAndNewWritesAreRefused() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, NOTIFY);
        JsonNode locked = mall.lock("r1", "");
        String teamId = locked.path("data").path("teamId").asText();
        assertThat(mall.lock("r2", teamId).path("code").asText()).isEqualTo("0000");
        String paidAt = TradeClient.now();
        JsonNode settled = mall.settle("r2", paidAt);
        assertThat(settled.path("code").asText()).as(settled.toString()).isEqualTo("0000");

        redis.kill();

        // The first attempts committed; their answers were lost and the mall sends them again.
        HttpResponse<String> lockAgain = mall.lockAnswer("r1", "");
        HttpResponse<String> settleAgain =
                TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody("r2", paidAt));
        SoftAssertions repeats = new SoftAssertions();
        repeats.assertThat(lockAgain.statusCode())
                .as("lock: " + lockAgain.body())
                .isEqualTo(200);
        repeats.assertThat(TestJson.JSON.readTree(lockAgain.body()))
                .as("the lock's repeat is answered its order")
                .isEqualTo(locked);
        repeats.assertThat(settleAgain.statusCode())
                .as("settle: " + settleAgain.body())
                .isEqualTo(200);
        repeats.assertThat(TestJson.JSON.readTree(settleAgain.body()))
                .as("the payment's repeat is answered as its first")
                .isEqualTo(settled);
        repeats.assertAll();

        // Nothing committed under these keys: refused as before, nothing written.
        assertOutage(mall.lockAnswer("r3", teamId));
        assertOutage(TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody("r1", TradeClient.now())));
        assertOutage(TestJson.post(
                port,
                LOCK,
                "{\"userId\":\"r1\",\"teamId\":\"\",\"activityId\":" + ACTIVITY + ",\"goodsId\":\"g" + ACTIVITY
                        + "\",\"source\":\"s02\",\"channel\":\"c02\",\"outTradeNo\":\"out-r1\",\"notifyUrl\":\""
                        + NOTIFY + "\"}"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT CONCAT(lock_count, '/', complete_count) FROM group_buy_order WHERE team_id = ?",
                        String.class,
                        teamId))
                .as("the team's locks and payments")
                .isEqualTo("2/1");
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-r1'", Integer.class))
                .as("r1's payment notice while Redis was down was not taken")
                .isZero();
    }

    private static void assertOutage(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText()).isEqualTo("E0401");
    }
}
