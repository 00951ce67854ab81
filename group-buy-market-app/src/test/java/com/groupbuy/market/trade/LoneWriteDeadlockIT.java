package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TradeClient;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A settlement written alone (group commit off here; with it on, the fallback of a batch) and a refund, each picked by
 * InnoDB as a deadlock's victim, are written again, not answered 0001: the victim's whole transaction (the lone
 * payment's one statement) was rolled back, so the retry's answer is the true one. Both lock their order's row and
 * then their team's; the deadlock is made step by step: another transaction (heavier, so InnoDB rolls the write back)
 * holds the team row, the write takes its order and waits for the team (seen in information_schema), then the other
 * asks for that order's row. Proved to fail on main: HTTP 500, 0001, for both.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.settlement.group-commit.enabled=false",
            "gbm.places.on-start=false",
            "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund"
        })
class LoneWriteDeadlockIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamCounts counts;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aLoneSettlementThatIsADeadlocksVictimIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16961, "http://127.0.0.1:1/cb");
        String teamId = mall.team("s1", "s2");
        JsonNode answer = deadlocked(teamId, "s1", () -> mall.settle("s1"));

        assertThat(answer.path("code").asText()).as("answer %s", answer).isEqualTo("0000");
        assertThat(counts.orderStatus("s1")).isEqualTo(1);
        assertThat(counts.team(teamId)).containsEntry("complete_count", 1).containsEntry("lock_count", 2);
    }

    @Test
    void aRefundThatIsADeadlocksVictimIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16962, "http://127.0.0.1:1/cb");
        String teamId = mall.team("r1", "r2");
        JsonNode answer = deadlocked(teamId, "r2", () -> mall.refund("r2"));

        assertThat(answer.path("code").asText()).as("answer %s", answer).isEqualTo("0000");
        assertThat(answer.path("data").path("code").asText()).isEqualTo("success");
        assertThat(counts.orderStatus("r2")).isEqualTo(2);
        assertThat(counts.team(teamId)).containsEntry("lock_count", 1).containsEntry("complete_count", 0);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP"))
                .as("one refund callback")
                .isEqualTo(1);
    }

    /** The write's answer after it was made a deadlock's victim once, against the team row and the user's order. */
    private JsonNode deadlocked(String teamId, String userId, Callable<JsonNode> write) throws Exception {
        long orderRow = jdbc.queryForObject(
                "SELECT id FROM group_buy_order_list WHERE team_id = ? AND user_id = ?", Long.class, teamId, userId);
        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc).heavy()) {
            other.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", teamId);
            Future<JsonNode> answer = pool.submit(write);
            other.awaitWaiter(); // the write holds its order and waits for the team
            // The deadlock: the write, lighter, is rolled back and this goes on.
            other.lock("SELECT id FROM group_buy_order_list WHERE id = ? FOR UPDATE", orderRow);
            other.rollback();
            return answer.get(30, TimeUnit.SECONDS);
        }
    }
}
