package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * While this service's Redis (a private redis-server of the test) is down, the partner's rate is counted in the
 * instance: a flood of a committed lock's retries is answered its order within the rate and {@code 0006} past it,
 * with nothing read. Before, every one of them was answered its order, each costing a database read, and nothing but
 * the server's threads and the database pool bounded the partner.
 */
@IntegrationTest
@PrivateRedisServer
@TestPropertySource(properties = {"gbm.rate-limit.user=1000", "gbm.rate-limit.pair-default=5"})
class RateFloodRedisOutageIT {

    private static final long ACTIVITY = 27_350;
    private static final int FLOOD = 40;

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPartnersFloodPastItsRateIsRefused0006WhileRedisIsDown() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        JsonNode locked = mall.lock("f1", "");
        assertThat(locked.path("code").asText()).as(locked.toString()).isEqualTo("0000");

        redis.kill();
        untilTheBreakerAnswersAtOnce();

        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(FLOOD);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            Callable<HttpResponse<String>> retry = () -> mall.lockAnswer("f1", "");
            for (int i = 0; i < FLOOD; i++) {
                sent.add(senders.submit(retry));
            }
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            senders.shutdownNow();
        }
        int answeredItsOrder = 0;
        int refused = 0;
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            if (body.equals(locked)) {
                answeredItsOrder++;
            } else {
                assertThat(body.path("code").asText()).as(answer.body()).isEqualTo("0006");
                refused++;
            }
        }
        // 5 a second in this instance; the flood may straddle a window's end, so at most a few windows' worth.
        assertThat(answeredItsOrder).as("answered its order").isBetween(1, 15);
        assertThat(refused).as("refused 0006").isGreaterThanOrEqualTo(FLOOD - 15);
    }

    /** The first requests after the kill wait for Redis's timeouts; a flood is sent once outages are answered at once. */
    private void untilTheBreakerAnswersAtOnce() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            long start = System.currentTimeMillis();
            // Another partner's new lock: E0401 (or 0006 past its own rate), without touching s01/c01's count.
            HttpResponse<String> answer = TestJson.post(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"w1\",\"teamId\":\"\",\"activityId\":" + ACTIVITY + ",\"goodsId\":\"g" + ACTIVITY
                            + "\",\"source\":\"s02\",\"channel\":\"c02\",\"outTradeNo\":\"out-w1\","
                            + "\"notifyUrl\":\"http://127.0.0.1:1/cb\"}");
            assertThat(answer.body()).containsAnyOf("E0401", "0006");
            if (System.currentTimeMillis() - start < 100) {
                return;
            }
            assertThat(System.currentTimeMillis())
                    .as("breaker open within 30 s")
                    .isLessThan(deadline);
        }
    }
}
