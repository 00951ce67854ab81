package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.ScriptedTradeIds;
import com.groupbuy.market.support.TradeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A refund mid-transaction must not hold up the locks of other teams. Under REPEATABLE READ, MariaDB 10.11 locks an
 * entry of a unique secondary index found by a locking read or UPDATE together with the gap before it (a next-key
 * lock; only PRIMARY is locked record-only), so the refund's closeOrder (uq_order_id) and its team's place release
 * (uq_team_id) kept every insert into those two gaps waiting as long as the refund's transaction lasted: an opening
 * whose random team id fell just before the refunded team's, and any lock, opening or joining another team, whose
 * random order id fell just before the refunded order's. The refund is made to wait here by another transaction
 * holding its team's row by primary key (as a settlement or an expiry of that team does; record-only, so the holder
 * itself locks no gap), and the ids are scripted into those gaps (at a million orders about one lock in a million per
 * refund in flight draws one; here, with a handful of rows, they are drawn on purpose). Each unrelated lock must be
 * written at once, not after the refund. Proved to fail on main (2 of 2): all three were still unanswered after 2.5 s.
 */
@IntegrationTest
@Import(ScriptedTradeIds.Config.class)
class RefundGapLockIT {

    private static final long ACTIVITY = 16991;
    private static final long PROMPT_MS = 2_500;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ScriptedTradeIds ids;

    @Autowired
    TeamCounts counts;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aRefundWaitingForItsTeamDoesNotHoldUpLocksOfOtherTeams() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        String refunded = open(mall, "gr-a1", "50000000", "500000000000");
        String joined = open(mall, "gr-d1", "80000000", "800000000000");
        long refundedRow =
                jdbc.queryForObject("SELECT id FROM group_buy_order WHERE team_id = ?", Long.class, refunded);

        List<String> late = new ArrayList<>();
        Future<JsonNode> refund;
        List<Future<JsonNode>> unrelated = new ArrayList<>();
        try (RowLockHolder team = RowLockHolder.open(dataSource, jdbc)) {
            team.lock("SELECT id FROM group_buy_order FORCE INDEX (PRIMARY) WHERE id = ? FOR UPDATE", refundedRow);
            refund = pool.submit(() -> mall.refund("gr-a1"));
            team.awaitWaiter(); // the refund closed its order and waits for its team's row

            // A new team whose id falls just before the refunded team's (uq_team_id).
            unrelated.add(prompt(
                    late, "opening in the team's gap", "49999999", "700000000000", () -> mall.lock("gr-b1", "")));
            // A new team whose order id falls just before the refunded order's (uq_order_id).
            unrelated.add(prompt(
                    late, "opening in the order's gap", "70000000", "499999999999", () -> mall.lock("gr-c1", "")));
            // A join of another team whose order id falls there too.
            unrelated.add(
                    prompt(late, "joining in the order's gap", null, "499999999998", () -> mall.lock("gr-d2", joined)));
            team.rollback();
        }

        assertThat(late).as("locks of other teams held up by the refund").isEmpty();
        for (Future<JsonNode> lock : unrelated) {
            assertThat(lock.get(30, TimeUnit.SECONDS).path("code").asText()).isEqualTo("0000");
        }
        assertThat(refund.get(30, TimeUnit.SECONDS).path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE order_id = '500000000000'", Integer.class))
                .as("the refunded order closed")
                .isEqualTo(2);
        assertThat(counts.lockCount(refunded)).isZero();
        assertThat(counts.lockCount("49999999")).isEqualTo(1);
        assertThat(counts.lockCount("70000000")).isEqualTo(1);
        assertThat(counts.lockCount(joined)).isEqualTo(2);
    }

    private String open(TradeClient mall, String userId, String teamId, String orderId) throws Exception {
        ids.teams.add(teamId);
        ids.orders.add(orderId);
        JsonNode answer = mall.lock(userId, "");
        assertThat(answer.path("code").asText()).as("%s", answer).isEqualTo("0000");
        assertThat(answer.path("data").path("teamId").asText()).isEqualTo(teamId);
        return teamId;
    }

    /** Sends the lock with its scripted ids and waits for its answer a moment; one not answered by then is late. */
    private Future<JsonNode> prompt(
            List<String> late, String what, String teamId, String orderId, Callable<JsonNode> lock) throws Exception {
        if (teamId != null) {
            ids.teams.add(teamId);
        }
        ids.orders.add(orderId);
        long start = System.nanoTime();
        Future<JsonNode> answer = pool.submit(lock);
        try {
            JsonNode body = answer.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            System.out.printf(
                    "RefundGapLockIT %s answered %s after %d ms%n",
                    what, body, (System.nanoTime() - start) / 1_000_000);
        } catch (TimeoutException e) {
            late.add(what + " not answered within " + PROMPT_MS + " ms");
            // Its ids must not be handed to the next lock: wait until this one has drawn them.
            while (!ids.orders.isEmpty()) {
                Thread.sleep(20);
            }
        }
        return answer;
    }
}
