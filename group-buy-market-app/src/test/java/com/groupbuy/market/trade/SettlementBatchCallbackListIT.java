package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The completion callback written by a settlement batch lists every paid member of its team, those paid by another
 * transaction while the batch was being written included. A batch that completes two teams reads the paid members of
 * the first, and under REPEATABLE READ that read fixed the snapshot every later read of the batch sees: a member of the
 * second team paid by a settlement alone (or another instance's batch) that committed after it, just before the
 * batch's payment of that team's last place, was missing from the second team's callback, which was written complete
 * and delivered with one buyer fewer. Over real HTTP and MariaDB: the other member's payment is held (a trigger sleeps
 * in its update of the team row, holding the row) while the batch completes the first team and waits for the second.
 */
@IntegrationTest
@TestPropertySource(
        properties = {"gbm.settlement.group-commit.enabled=true", "gbm.settlement.group-commit.max-wait=100ms"})
class SettlementBatchCallbackListIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19950);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void dropTrigger() {
        jdbc.execute("DROP TRIGGER IF EXISTS hold_second_payment");
    }

    @Test
    void aBatchCompletingTwoTeamsListsAMemberPaidMeanwhileInTheSecondTeamsCallback() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        String p = "cb" + activityId + "-";
        String one = mall.team(p + "a1", p + "a2", p + "a3");
        String two = mall.team(p + "b1", p + "b2", p + "b3");
        // The batch pays its teams in team id order: the first completes before the second is paid.
        boolean oneFirst = one.compareTo(two) < 0;
        String firstTeam = oneFirst ? one : two;
        String secondTeam = oneFirst ? two : one;
        String f = oneFirst ? p + "a" : p + "b";
        String s = oneFirst ? p + "b" : p + "a";
        assertThat(mall.settle(f + "1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle(f + "2").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle(s + "1").path("code").asText()).isEqualTo("0000");
        // The second team's second payment holds the team row (uncommitted) for two seconds.
        jdbc.execute("CREATE TRIGGER hold_second_payment BEFORE UPDATE ON group_buy_order FOR EACH ROW "
                + "IF NEW.team_id = '" + secondTeam + "' AND OLD.complete_count = 1 AND NEW.complete_count = 2 THEN "
                + "SET @held = SLEEP(2); END IF");
        double batchesBefore = batches();
        double batchedBefore = batched();

        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> {
            try {
                return mall.settle(s + "2");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitHeld();
        // Both last places at once: one batch, the first team completed before the second's row is free.
        Map<String, JsonNode> answers = Race.together(Map.<String, Callable<JsonNode>>of(
                "first", () -> mall.settle(f + "3"), "second", () -> mall.settle(s + "3")));

        assertThat(held.get(30, TimeUnit.SECONDS).path("code").asText()).isEqualTo("0000");
        assertThat(answers.get("first").path("code").asText()).isEqualTo("0000");
        assertThat(answers.get("second").path("code").asText()).isEqualTo("0000");
        assertThat(batched() - batchedBefore)
                .as("the two last places shared a batch")
                .isGreaterThan(batches() - batchesBefore);
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", secondTeam))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        List<String> bodies = jdbc.queryForList(
                "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                String.class,
                secondTeam);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0))
                .as("the second team's callback lists every paid member")
                .contains("out-" + s + "1", "out-" + s + "2", "out-" + s + "3");
        assertThat(jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE team_id = ? "
                                + "AND notify_category = 'trade_settlement'",
                        String.class,
                        firstTeam))
                .contains("out-" + f + "1", "out-" + f + "2", "out-" + f + "3");
    }

    /** Until the held payment sleeps in its trigger (bounded). */
    private void awaitHeld() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (jdbc.queryForObject(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SET @held%' "
                                + "OR (STATE = 'User sleep' AND INFO LIKE '%group_buy_order%')",
                        Integer.class)
                == 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the second team's payment never reached its trigger");
            }
            Thread.sleep(10);
        }
    }

    /** Settlements handed to the writer. */
    private double batched() {
        return meters.get("gbm.settlement.group.commit.batch").summary().totalAmount();
    }

    /** Batches written (whole, with two or more settlements, or handed back as one). */
    private double batches() {
        return meters.get("gbm.settlement.group.commit.batch").summary().count();
    }
}
