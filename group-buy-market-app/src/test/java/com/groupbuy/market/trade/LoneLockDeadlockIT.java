package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TradeClient;
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
    }

    @Test
    void aLoneLockThatIsADeadlocksVictimIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 15901, "http://127.0.0.1:1/cb");
        String teamId = mall.team("f1");

        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc).heavy()) {
            other.lock("SELECT id FROM group_buy_order_list WHERE team_id = ? FOR UPDATE", teamId);
            Future<JsonNode> joiner = pool.submit(() -> mall.lock("f2", teamId));
            other.awaitWaiter();
            // The deadlock: the lock, lighter, is rolled back and this goes on.
            other.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", teamId);
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
}
