package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TradeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An instance stopped while partners' locks and settlements are in its group commit batches (an operator's rolling
 * restart): every answer it gave is the envelope and true — a 0000 lock is stored, a 0000 settlement is paid, nothing
 * committed is answered an error — and a partner retrying on the other instance what got no answer gets the one true
 * outcome. Afterwards each team's counts equal its orders, and a completed team has exactly one callback task.
 */
@IntegrationTest
class ShutdownUnderLoadIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19950);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    TeamCounts counts;

    private SecondInstance second;

    @AfterEach
    void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    /** What one request got: an envelope's code, or how it failed before one arrived. */
    private record Outcome(String kind, String userId, String code, String failure) {}

    @Test
    void answersOfAnInstanceStoppedMidBurstAreTrueAndRetriesOnTheOtherSettleTheRest() throws Exception {
        second = SecondInstance.like(
                environment,
                "gbm.lock.group-commit.enabled=true",
                "gbm.lock.group-commit.max-wait=20ms",
                "gbm.settlement.group-commit.enabled=true",
                "gbm.settlement.group-commit.max-wait=20ms");
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient first = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        TradeClient stopping = new TradeClient(second.port(), activityId, "g" + activityId, RECEIVER);
        int teams = 40;
        List<String> teamIds = new ArrayList<>();
        for (int t = 0; t < teams; t++) {
            teamIds.add(first.team("lead" + t, "second" + t));
        }
        String paidAt = TradeClient.now();
        List<Callable<Outcome>> calls = new ArrayList<>();
        for (int t = 0; t < teams; t++) {
            String teamId = teamIds.get(t);
            String lead = "lead" + t;
            String secondMember = "second" + t;
            String joiner = "third" + t;
            String opener = "opener" + t;
            calls.add(() -> outcome("settle", lead, () -> stopping.settle(lead, paidAt)));
            calls.add(() -> outcome("settle", secondMember, () -> stopping.settle(secondMember, paidAt)));
            calls.add(() -> outcome("join", joiner, () -> stopping.lock(joiner, teamId)));
            calls.add(() -> outcome("open", opener, () -> stopping.lock(opener, "")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(48);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Callable<Outcome> call : calls) {
            futures.add(pool.submit(() -> {
                start.await();
                Outcome outcome = call.call();
                answered.incrementAndGet();
                return outcome;
            }));
        }
        start.countDown();
        while (answered.get() < calls.size() / 8) {
            Thread.sleep(1);
        }
        second.close();
        second = null;

        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : futures) {
            outcomes.add(future.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        Map<String, Integer> seen = new TreeMap<>();
        outcomes.forEach(
                o -> seen.merge(o.kind() + ":" + (o.code() != null ? o.code() : o.failure()), 1, Integer::sum));

        for (Outcome o : outcomes) {
            if (o.code() == null) {
                assertThat(o.failure())
                        .as("%s of %s got an answer that is not the envelope: %s", o.kind(), o.userId(), seen)
                        .doesNotStartWith("answer:");
                continue;
            }
            assertThat(o.code())
                    .as("%s of %s answered by the stopping instance (%s)", o.kind(), o.userId(), seen)
                    .isEqualTo("0000");
            if (o.kind().equals("settle")) {
                assertThat(counts.orderStatus(o.userId()))
                        .as("paid %s", o.userId())
                        .isEqualTo(1);
            } else {
                assertThat(counts.orderStatus(o.userId()))
                        .as("locked %s", o.userId())
                        .isIn(0, 1);
            }
        }
        // What got no answer is sent again, as a partner would, to the instance still running: the one true outcome.
        for (Outcome o : outcomes) {
            if (o.code() != null) {
                continue;
            }
            int t = Integer.parseInt(o.userId().replaceAll("\\D", ""));
            JsonNode retry = switch (o.kind()) {
                case "settle" -> first.settle(o.userId(), paidAt);
                case "join" -> first.lock(o.userId(), teamIds.get(t));
                default -> first.lock(o.userId(), "");
            };
            assertThat(retry.path("code").asText())
                    .as("retry of %s of %s: %s", o.kind(), o.userId(), retry)
                    .isEqualTo("0000");
        }
        // Every third member locked and both first members paid: the third's payment completes each team.
        for (int t = 0; t < teams; t++) {
            assertThat(first.settle("third" + t).path("code").asText()).isEqualTo("0000");
        }
        for (String teamId : teamIds) {
            assertThat(counts.team(teamId))
                    .as("team %s", teamId)
                    .containsEntry("status", 1)
                    .containsEntry("lock_count", 3)
                    .containsEntry("complete_count", 3);
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 1",
                            Integer.class,
                            teamId))
                    .as("paid orders of %s", teamId)
                    .isEqualTo(3);
            assertThat(counts.tasks(teamId, "trade_settlement"))
                    .as("callbacks of %s", teamId)
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ? AND user_id LIKE 'opener%'",
                        Integer.class, activityId))
                .isEqualTo(teams);
        System.out.println("shutdown under load: " + seen);
    }

    private interface Call {
        JsonNode call() throws Exception;
    }

    private static Outcome outcome(String kind, String userId, Call call) {
        try {
            return new Outcome(kind, userId, call.call().path("code").asText(), null);
        } catch (AssertionError e) {
            return new Outcome(kind, userId, null, "answer: " + e.getMessage());
        } catch (Exception e) {
            return new Outcome(kind, userId, null, e.getClass().getSimpleName());
        }
    }
}
