package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
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
 * A lock written alone (group commit off here; with it on, the fallback of a batch) that InnoDB picks as a deadlock's
 * victim is written again, not answered 0001: its whole transaction was rolled back. The deadlock is made step by
 * step: another transaction (heavier, so InnoDB rolls the lock back) holds the gap where the team's new member row
 * goes, the lock takes the team's place and waits to insert there, then the other asks for the team row.
 * Proved to fail on main: the joiner got HTTP 500, 0001.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.lock.group-commit.enabled=false", "gbm.places.on-start=false"})
class LoneLockDeadlockIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        jdbc.execute("DROP TABLE IF EXISTS lone_lock_deadlock_weight");
    }

    @Test
    void aLoneLockThatIsADeadlocksVictimIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 15901, "http://127.0.0.1:1/cb");
        String teamId = mall.team("f1");
        jdbc.execute("CREATE TABLE IF NOT EXISTS lone_lock_deadlock_weight (id INT PRIMARY KEY) ENGINE=InnoDB");

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement weight = other.createStatement()) {
                // Undo entries: InnoDB rolls back the lighter transaction, and this one must not be it.
                weight.executeUpdate("INSERT INTO lone_lock_deadlock_weight SELECT seq FROM seq_1_to_200");
            }
            try (PreparedStatement members =
                    other.prepareStatement("SELECT id FROM group_buy_order_list WHERE team_id = ? FOR UPDATE")) {
                members.setString(1, teamId);
                members.executeQuery().close();
            }
            String otherTrx;
            try (PreparedStatement q = other.prepareStatement(
                            "SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()");
                    ResultSet row = q.executeQuery()) {
                row.next();
                otherTrx = row.getString(1);
            }
            Future<JsonNode> joiner = pool.submit(() -> mall.lock("f2", teamId));
            awaitBlockedBy(otherTrx);
            try (PreparedStatement team =
                    other.prepareStatement("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE")) {
                team.setString(1, teamId);
                team.executeQuery().close(); // the deadlock: the lock, lighter, is rolled back and this goes on
            }
            other.rollback();

            JsonNode answer = joiner.get(30, TimeUnit.SECONDS);
            assertThat(answer.path("code").asText()).as("answer %s", answer).isEqualTo("0000");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(2);
    }

    private void awaitBlockedBy(String trxId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            List<String> waiting = jdbc.queryForList(
                    "SELECT requesting_trx_id FROM information_schema.INNODB_LOCK_WAITS WHERE blocking_trx_id = ?",
                    String.class,
                    trxId);
            if (!waiting.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nobody waited for transaction " + trxId);
    }
}
