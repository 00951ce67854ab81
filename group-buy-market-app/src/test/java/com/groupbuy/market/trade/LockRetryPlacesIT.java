package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13 item 7: racing retries of one lock (same user and out trade number) share one place, so the other buyers
 * of the team are never refused a place that is free and the team fills to its target.
 */
@IntegrationTest
class LockRetryPlacesIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(13700);
    private static final int TARGET = 5;
    private static final int RETRIES = 12;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Test
    void racingRetriesOfOneLockTakeOnePlaceAndEveryOtherBuyerGetsIn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RETRIES + TARGET);
        try {
            for (int round = 0; round < 6; round++) {
                long activityId = ACTIVITY.incrementAndGet();
                TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
                jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", TARGET, activityId);
                String teamId = mall.team("lead" + round);

                CountDownLatch start = new CountDownLatch(1);
                List<Future<JsonNode>> retries = new ArrayList<>();
                List<Future<JsonNode>> others = new ArrayList<>();
                // Users of the round's own: an out trade number ("out-" + user) names one order in every activity.
                String retrier = "retrier" + round;
                for (int i = 0; i < RETRIES; i++) {
                    retries.add(pool.submit(atStart(start, () -> mall.lock(retrier, teamId))));
                }
                for (int i = 1; i < TARGET - 1; i++) {
                    String user = "buyer" + round + "-" + i;
                    others.add(pool.submit(atStart(start, () -> mall.lock(user, teamId))));
                }
                start.countDown();

                String orderId = null;
                for (Future<JsonNode> retry : retries) {
                    JsonNode answer = retry.get(60, TimeUnit.SECONDS);
                    assertThat(answer.path("code").asText())
                            .as("round %d retry %s", round, answer)
                            .isEqualTo("0000");
                    orderId = orderId == null
                            ? answer.path("data").path("orderId").asText()
                            : orderId;
                    assertThat(answer.path("data").path("orderId").asText()).isEqualTo(orderId);
                }
                for (Future<JsonNode> other : others) {
                    JsonNode answer = other.get(60, TimeUnit.SECONDS);
                    assertThat(answer.path("code").asText())
                            .as("round %d buyer %s", round, answer)
                            .isEqualTo("0000");
                }
                assertThat(counts.lockCount(teamId)).isEqualTo(TARGET);
                assertThat(counts.redisPlaces(teamId)).isEqualTo(TARGET);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<JsonNode> atStart(CountDownLatch start, Callable<JsonNode> call) {
        return () -> {
            start.await();
            return call.call();
        };
    }
}
