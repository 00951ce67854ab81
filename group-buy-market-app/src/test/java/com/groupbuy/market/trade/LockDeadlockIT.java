package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.LockAggregates.lock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.infrastructure.trade.repository.LockBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.LockOutcome;
import com.groupbuy.market.support.InnodbLockWaits;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The InnoDB deadlock seen once in LockGroupCommitIT (2026-12-02): the lock batch held a team row (a join's
 * {@code takePlace}, a next-key lock on uq_team_id), the place reconciler's look after a refused join queued for that
 * row ({@code lockTeam … FOR UPDATE}, also a next-key lock, waiting), and the batch then inserted a new team whose id
 * falls in the gap before the locked team: its insert intention waits for the queued look, which waits for the batch.
 * InnoDB rolled the look back and the refused joiner got 0001 (HTTP 500) instead of its refusal. Each step is made to
 * happen in that order here (waits observed in information_schema), so the outcome is not left to timing.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.places.quiet-period=0s", "gbm.places.on-start=false", "gbm.places.interval=1h"})
class LockDeadlockIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(14900);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    LockBatchWriter writer;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    RedissonClient redisson;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * A refused joiner whose look at the team is a deadlock's victim is answered with its refusal (E0008), not 0001.
     * Proved to fail on main: the joiner got 0001.
     */
    @Test
    void aRefusedJoinerWhoseLookIsADeadlocksVictimGetsItsRefusal() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:1/cb");
        String teamId = mall.team("d1", "d2");
        String before = freeIdJustBelow(teamId);
        // A counter left high: the join is refused by Redis while the row has a place, so the team is looked at.
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);

        try (Connection batch = dataSource.getConnection()) {
            batch.setAutoCommit(false);
            // The batch's shape as it was: a join's takePlace first ...
            try (PreparedStatement take = batch.prepareStatement("UPDATE group_buy_order FORCE INDEX (uq_team_id)"
                    + " SET lock_count = lock_count + 1 WHERE team_id = ?")) {
                take.setString(1, teamId);
                assertThat(take.executeUpdate()).isEqualTo(1);
            }
            Future<JsonNode> joiner = pool.submit(() -> mall.lock("d3", teamId));
            awaitBlockedBy(connectionId(batch), teamId);
            // ... then a new team in the gap before the joined one, while the look waits for the joined row.
            try (PreparedStatement insert = batch.prepareStatement("INSERT INTO group_buy_order (team_id,"
                    + " activity_id, leader_user_id, source, channel, original_price, deduction_price, pay_price,"
                    + " target_count, complete_count, lock_count, status, valid_start_time, valid_end_time,"
                    + " notify_type, notify_mq, notify_url) SELECT ?, activity_id, leader_user_id, source, channel,"
                    + " original_price, deduction_price, pay_price, target_count, complete_count, 1, status,"
                    + " valid_start_time, valid_end_time, notify_type, notify_mq, notify_url"
                    + " FROM group_buy_order WHERE team_id = ?")) {
                insert.setString(1, before);
                insert.setString(2, teamId);
                // InnoDB took the look (lighter: no undo) as the victim; this insert went on.
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            JsonNode answer = joiner.get(30, TimeUnit.SECONDS);
            batch.rollback();

            assertThat(answer.path("code").asText())
                    .as("the refused joiner's answer: %s", answer)
                    .isEqualTo("E0008");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(2);
    }

    /**
     * A batch joining a team and opening one in the gap before it, with a look queued for the joined team's row,
     * deadlocks nobody: the batch inserts its new teams before it locks any team. Proved to fail on main: the look
     * (a connection here, the reconciler's statement) was the deadlock's victim.
     */
    @Test
    void aBatchOpeningATeamBeforeOneItJoinsDoesNotDeadlockALookQueuedForIt() throws Exception {
        String base = freeRange();
        String joinedId = String.valueOf(Long.parseLong(base) + 2);
        String newId = String.valueOf(Long.parseLong(base) + 1);
        List<LockOutcome> opened = writer.write(
                List.of(lock(true, null, 0).toBuilder().teamId(joinedId).build()));
        assertThat(opened.get(0).order()).isNotNull();
        LockOrderAggregate join = lock(false, joinedId, 0);
        LockOrderAggregate open = lock(true, null, 0).toBuilder().teamId(newId).build();

        try (Connection holder = dataSource.getConnection();
                Connection look = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            look.setAutoCommit(false);
            lockTeam(holder, joinedId);
            Future<List<LockOutcome>> batch = pool.submit(() -> writer.write(List.of(join, open)));
            awaitBlockedBy(connectionId(holder), joinedId);
            long lookThread = connectionId(look);
            Future<Void> looked = pool.submit(() -> {
                lockTeam(look, joinedId);
                look.commit();
                return null;
            });
            awaitLockWait(lookThread);
            holder.commit();

            looked.get(30, TimeUnit.SECONDS); // on main: ExecutionException, "Deadlock found when trying to get lock"
            List<LockOutcome> outcomes = batch.get(30, TimeUnit.SECONDS);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.order()).isNotNull());
        }
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, joinedId))
                .isEqualTo(2);
        jdbc.update("DELETE FROM group_buy_order_list WHERE team_id IN (?, ?)", joinedId, newId);
        jdbc.update("DELETE FROM group_buy_order WHERE team_id IN (?, ?)", joinedId, newId);
    }

    /** The reconciler's statement (ITeamPlaceDao.lockTeam). */
    private static void lockTeam(Connection connection, String teamId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, team_id, lock_count, status,"
                + " update_time FROM group_buy_order WHERE team_id = ? FOR UPDATE")) {
            select.setString(1, teamId);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    /** A team id no team has, right below {@code teamId} in uq_team_id (no team between them). */
    private String freeIdJustBelow(String teamId) {
        String below = String.format("%08d", Long.parseLong(teamId) - 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order WHERE team_id = ?", Integer.class, below))
                .isZero();
        return below;
    }

    /** Four consecutive team ids no team has. */
    private String freeRange() {
        while (true) {
            long base = ThreadLocalRandom.current().nextLong(90_000_000L, 99_999_990L);
            Integer taken = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM group_buy_order WHERE team_id BETWEEN ? AND ?",
                    Integer.class,
                    String.valueOf(base),
                    String.valueOf(base + 3));
            if (taken == 0) {
                return String.valueOf(base);
            }
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT CONNECTION_ID()");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Until a transaction other than thread {@code holder}'s waits for the row of team {@code teamId} (which that
     * thread locked), told live by SHOW ENGINE INNODB STATUS: information_schema's lock tables can be stale.
     */
    private void awaitBlockedBy(long holder, String teamId) throws InterruptedException {
        List<Long> row = jdbc.queryForList("SELECT id FROM group_buy_order WHERE team_id = ?", Long.class, teamId);
        for (int i = 0; i < 300; i++) {
            if (!InnodbLockWaits.waitingFor(jdbc, holder, "group_buy_order", row)
                    .isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nobody waited for thread " + holder + "'s team " + teamId + " (row " + row
                + "); waits on this database: " + InnodbLockWaits.ofThisDatabase(jdbc));
    }

    /** Until thread {@code thread}'s transaction waits for a lock, told live by SHOW ENGINE INNODB STATUS. */
    private void awaitLockWait(long thread) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (InnodbLockWaits.all(jdbc).stream().anyMatch(w -> w.thread() == thread)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("connection " + thread + " never waited; waits on this database: "
                + InnodbLockWaits.ofThisDatabase(jdbc));
    }
}
