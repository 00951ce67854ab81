package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A team's expiry that InnoDB picks as a deadlock's victim is written again, not thrown to its close check (counted as
 * a failed attempt) or the timeout job (logged as a skip): InnoDB rolled its whole transaction back, so the retry
 * decides again on the rows as they are then. The deadlock is the one a settlement batch made (CI,
 * SettlementGroupCommitChaosIT): the expiry takes its team's members in id order, the batch its orders in order id
 * order. Made step by step here: another transaction (heavier, so InnoDB rolls the expiry back) holds the team's last
 * member row, the expiry takes the first ones and waits for it (the first seen held by a NOWAIT probe), then the other
 * asks for the first member's row. And the one a buyer joining the team as it expires makes, from the application's own
 * statements. Proved to fail on main (both): expireTeamNow threw DeadlockLoserDataAccessException.
 */
@IntegrationTest
@TestPropertySource(
        properties = {"gbm.timeout.expiry-grace=0s", "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund"})
class ExpiryDeadlockIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeouts;

    private static final String MEMBER = "SELECT id FROM group_buy_order_list WHERE id = ? FOR UPDATE";

    private static final String TEAM = "SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE";

    private final AtomicReference<Thread> worker = new AtomicReference<>();

    private final ExecutorService pool = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "expiry-deadlock-it");
        worker.set(thread);
        return thread;
    });

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void anExpiryThatIsADeadlocksVictimIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16901, "http://127.0.0.1:1/cb");
        String teamId = mall.team("e1", "e2", "e3");
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                teamId);
        List<Long> members = jdbc.queryForList(
                "SELECT id FROM group_buy_order_list WHERE team_id = ? ORDER BY id", Long.class, teamId);
        assertThat(members).hasSize(3);
        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc).heavy()) {
            other.lock(MEMBER, members.get(2));
            Future<Boolean> expiry = pool.submit(() -> timeouts.expireTeamNow(teamId));
            // The expiry holds the first member: taking them in id order, it waits (or is about to) for the last, held
            // here. Seen by the database itself: information_schema's lock tables can be kept stale by any other
            // session reading them (RowLockHolder.awaitHeldElsewhere): with one reading beside it, 3 of 20 runs failed.
            other.awaitHeldElsewhere(MEMBER, expiry, worker.get(), members.get(0));
            // The deadlock: this waits for the expiry, which waits for this; the expiry, lighter, is rolled back and
            // this goes on. Nothing else gives the row back: the expiry cannot commit without the last member.
            other.lock(MEMBER, members.get(0));
            other.rollback();

            assertThat(expiry.get(30, TimeUnit.SECONDS))
                    .as("the expiry, written again")
                    .isTrue();
        }
        assertThat(counts.team(teamId))
                .containsEntry("status", 2)
                .containsEntry("lock_count", 0)
                .containsEntry("complete_count", 0);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 2",
                        Integer.class,
                        teamId))
                .isEqualTo(3);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP"))
                .as("one refund callback per member, written once")
                .isEqualTo(3);
        assertThat(timeouts.expireTeamNow(teamId)).as("failed once").isFalse();
    }

    /**
     * The pair from the application alone: a buyer joining the team as it expires. The join holds the team row (its
     * place taken) and inserts its member row; the expiry, having locked the team's members and the index gap after
     * them, waits for the team row, and the join's insert waits for that gap. A test transaction only holds the join
     * back between the two (the gap of the join's own partner key, an index the insert passes before the team's), so
     * the expiry can take its members meanwhile. InnoDB rolls back the lighter, the expiry (nothing modified yet).
     * Proved to fail on main: expireTeamNow threw DeadlockLoserDataAccessException.
     */
    @Test
    void anExpiryThatDeadlocksWithAJoinIsWrittenAgain() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16902, "http://127.0.0.1:1/cb");
        String teamId = mall.team("j1");
        Long firstMember =
                jdbc.queryForObject("SELECT id FROM group_buy_order_list WHERE team_id = ?", Long.class, teamId);
        // Open for the join, ended (no grace here) by the time the expiry comes.
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) + INTERVAL 3 SECOND WHERE team_id = ?",
                teamId);
        ExecutorService expiries = Executors.newSingleThreadExecutor();
        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc)) {
            // No row: the gap where the join's key goes.
            holder.lock(
                    "SELECT id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ? AND source = 's01' "
                            + "AND channel = 'c01' FOR UPDATE",
                    "j2",
                    "out-j2");
            Future<JsonNode> join = pool.submit(() -> mall.lock("j2", teamId));
            // The join holds the team row (its place taken) and waits (or is about to) to insert its key. Seen held by
            // NOWAIT probes, not in information_schema's lock tables: any other session reading those keeps them stale.
            holder.awaitHeldElsewhere(TEAM, join, worker.get(), teamId);
            awaitEnded(teamId);
            Future<Boolean> expiry = expiries.submit(() -> timeouts.expireTeamNow(teamId));
            // The expiry holds the member (and the gap after it) and waits for the team row, which the join holds.
            holder.awaitHeldElsewhere(MEMBER, expiry, null, firstMember);
            holder.rollback(); // the join inserts on: into the gap the expiry holds, a deadlock

            assertThat(expiry.get(30, TimeUnit.SECONDS))
                    .as("the expiry, written again")
                    .isTrue();
            assertThat(join.get(30, TimeUnit.SECONDS).path("code").asText()).isEqualTo("0000");
        } finally {
            expiries.shutdownNow();
        }
        assertThat(counts.team(teamId))
                .containsEntry("status", 2)
                .containsEntry("lock_count", 0)
                .containsEntry("complete_count", 0);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 2",
                        Integer.class,
                        teamId))
                .as("both members closed, the joiner too")
                .isEqualTo(2);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(2);
    }

    private void awaitEnded(String teamId) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Integer ended = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM group_buy_order WHERE team_id = ? "
                            + "AND valid_end_time < UTC_TIMESTAMP(3) - INTERVAL 0.2 SECOND",
                    Integer.class,
                    teamId);
            if (ended != null && ended == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("team " + teamId + " did not end");
    }
}
