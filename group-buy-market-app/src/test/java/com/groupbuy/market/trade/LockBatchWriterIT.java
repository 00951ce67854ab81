package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.LockAggregates.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.infrastructure.mybatis.BatchInserts;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskRepository;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.repository.LockBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.LockOutcome;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.types.enums.ResponseCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The close checks of locks written together (#19) go to the outbox in one multi-row insert, and each lock must get
 * back the ids of its own rows (the relay publishes by id), each row under its own lock's lease for the relay or none. Checked with the ids taken from the driver's generated
 * keys (the server's lock mode) and with the ids read back by key, while other batches and single outbox writes
 * insert into the same table at the same time.
 */
@SharedContextIntegrationTest
class LockBatchWriterIT {

    private static final int THREADS = 4;
    private static final int BATCHES = 10;
    private static final int LOCKS = 7;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LockBatchWriter writer;

    @Autowired
    IGroupBuyOrderDao teamDao;

    @Autowired
    IGroupBuyOrderListDao orderDao;

    @Autowired
    BatchInserts batchInserts;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    Clock clock;

    /** The app's pool (the JdbcTemplate wraps it): the transaction's own connection is found under it. */
    @Autowired
    DataSource dataSource;

    @Test
    void theServerHandsOneStatementConsecutiveIds() {
        // MariaDB's default; on a server in mode 2 the ids are read back instead (the test below).
        assertThat(taskDao.autoIncrementLockMode()).isLessThanOrEqualTo(1);
    }

    @Test
    void eachLockGetsTheIdsOfItsOwnChecksFromTheGeneratedKeys() throws Exception {
        writeConcurrentlyAndCheck(writer);
    }

    @Test
    void eachLockGetsTheIdsOfItsOwnChecksReadBackByKey() throws Exception {
        NotifyTaskRepository readBack = new NotifyTaskRepository(taskDao, batchInserts, clock, false);
        writeConcurrentlyAndCheck(new LockBatchWriter(teamDao, orderDao, batchInserts, transaction, readBack));
    }

    @Test
    void joinsAndNewTeamsOfOneBatchAreWrittenTogether() {
        List<LockOutcome> opened = writer.write(List.of(lock(true, null, 2), lock(true, null, 1)));
        String teamId = opened.get(0).order().getTeamId();

        List<LockOutcome> outcomes =
                writer.write(List.of(lock(false, teamId, 1), lock(true, null, 0), lock(false, teamId, 0)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.order()).isNotNull());
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(3);
        assertIdsNameTheirChecks(outcomes.get(0), 1);
        assertThat(outcomes.get(1).order().getCloseCheckTaskIds()).isNull();
        // The team is full now: a third join in a batch is refused by the guard, the new team beside it is written.
        List<LockOutcome> full = writer.write(List.of(lock(false, teamId, 1), lock(true, null, 2)));
        assertThat(full.get(0).refusal()).isEqualTo(ResponseCode.E0005);
        assertThat(full.get(1).order()).isNotNull();
        assertIdsNameTheirChecks(full.get(1), 2);
    }

    /**
     * Design §7 (joins that don't check team status or expiry): the lock's rules read the team open with its window
     * running, then the team failed (status 2) or its window ended before the join was written. The write's own guard
     * (takePlace, the statement a join written alone takes its place by too) refuses the join: no order, the team's
     * count unchanged. With the guard's status and end conditions dropped, both joins were written.
     */
    @Test
    void aJoinOfATeamThatFailedOrWhoseWindowEndedSinceItWasReadIsRefusedByTheWrite() {
        String failed =
                writer.write(List.of(lock(true, null, 0))).get(0).order().getTeamId();
        String ended = writer.write(List.of(lock(true, null, 0))).get(0).order().getTeamId();
        jdbc.update("UPDATE group_buy_order SET status = 2 WHERE team_id = ?", failed);
        jdbc.update("UPDATE group_buy_order SET valid_end_time = valid_start_time WHERE team_id = ?", ended);

        List<LockOutcome> joins = writer.write(List.of(lock(false, failed, 0), lock(false, ended, 0)));

        // Each had places left: refused as a team no longer open, not as a full one.
        assertThat(joins).extracting(LockOutcome::refusal).containsExactly(ResponseCode.E0206, ResponseCode.E0206);
        for (String teamId : List.of(failed, ended)) {
            assertThat(jdbc.queryForObject(
                            "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                    .isEqualTo(1);
        }
    }

    @Test
    void eachLocksChecksAreWrittenUnderItsOwnLeaseAndComeBackAsTheRelayPublishesThem() {
        NotifyLease first = lease();
        NotifyLease second = lease();
        List<LockOrderAggregate> locks = List.of(
                lock(true, null, 2, first),
                lock(true, null, 1, null),
                lock(true, null, 0),
                lock(true, null, 1, second));

        List<LockOutcome> outcomes = writer.write(locks);

        for (int i = 0; i < locks.size(); i++) {
            assertIdsNameTheirChecks(
                    outcomes.get(i), locks.get(i).getCloseChecks().size());
            assertWrittenUnderItsLease(outcomes.get(i), locks.get(i));
        }
        assertThat(outcomes.get(0).order().getLeasedCloseChecks()).hasSize(2);
        assertThat(outcomes.get(1).order().getLeasedCloseChecks()).isNull();
        assertThat(outcomes.get(2).order().getLeasedCloseChecks()).isNull();
        assertThat(outcomes.get(3).order().getLeasedCloseChecks()).hasSize(1);
    }

    /**
     * A batch as large as the writer takes (gbm.lock.group-commit.max-batch, 64) of joins and new teams with 0, 1 or 2
     * checks, leased or not: each table's rows go in one INSERT (the driver rewrites each JDBC batch as one multi-row
     * statement, counted on the transaction's own connection), and every lock gets its own rows and the ids of its own
     * checks in order.
     */
    @Test
    void aFullBatchIsOneInsertPerTableAndEachLockGetsItsOwnChecksIdsInOrder() {
        List<LockOrderAggregate> openers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            openers.add(lock(true, null, 0));
        }
        writer.write(openers);
        List<LockOrderAggregate> locks = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            locks.add(
                    i % 4 == 0
                            ? lock(false, openers.get(i / 4 % 8).getTeamId(), i % 3, i % 2 == 0 ? lease() : null)
                            : lock(true, null, i % 3, i % 5 == 0 ? null : lease()));
        }

        long[] inserts = new long[2];
        List<LockOutcome> outcomes = transaction.execute(status -> {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            inserts[0] = sessionInserts(connection);
            List<LockOutcome> written = writer.write(locks);
            inserts[1] = sessionInserts(connection);
            return written;
        });

        assertThat(inserts[1] - inserts[0])
                .as("the teams, the member rows and the checks: one INSERT each")
                .isEqualTo(3);
        for (int i = 0; i < locks.size(); i++) {
            LockOrderAggregate lock = locks.get(i);
            assertThat(outcomes.get(i).order().getOrderId()).isEqualTo(lock.getOrderId());
            assertThat(jdbc.queryForObject(
                            "SELECT team_id FROM group_buy_order_list WHERE order_id = ?",
                            String.class,
                            lock.getOrderId()))
                    .isEqualTo(lock.getTeamId());
            assertIdsNameTheirChecks(outcomes.get(i), lock.getCloseChecks().size());
            assertWrittenUnderItsLease(outcomes.get(i), lock);
        }
        for (LockOrderAggregate opener : openers) {
            // Two joins of each opened team in the batch: 1 + 2 places taken of its 3.
            assertThat(jdbc.queryForObject(
                            "SELECT lock_count FROM group_buy_order WHERE team_id = ?",
                            Integer.class,
                            opener.getTeamId()))
                    .isEqualTo(3);
        }
    }

    @Test
    void aTakenCheckKeyFailsTheChecksInsertAndRollsTheWholeBatchBack() {
        LockOrderAggregate first = lock(true, null, 1, lease());
        LockOrderAggregate taken = lock(true, null, 2, lease());
        // Another writer wrote a task under the key of the second lock's team check: the checks' multi-row insert,
        // sent after the teams and member rows, fails on uq_task_key.
        String takenKey = taken.getCloseChecks().get(0).taskKey();
        transaction.executeWithoutResult(
                status -> new NotifyTaskRepository(taskDao, batchInserts, clock).saveTask(httpTask(takenKey, "other")));

        assertThatThrownBy(() -> writer.write(List.of(first, taken))).isInstanceOf(DataAccessException.class);

        for (LockOrderAggregate lock : List.of(first, taken)) {
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order WHERE team_id = ?", Integer.class, lock.getTeamId()))
                    .isZero();
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE order_id = ?",
                            Integer.class,
                            lock.getOrderId()))
                    .isZero();
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE claim_token = ?",
                            Integer.class,
                            lock.getCloseCheckLease().token()))
                    .isZero();
        }
    }

    /**
     * The batch session ({@link BatchInserts}) is a second MyBatis session on the transaction's connection, and its
     * writes do not clear the first session's local cache. With MyBatis's default cache scope (the session's) the
     * outbox's read of the ids by key after its batched insert (a server that does not hand a statement consecutive
     * ids) was answered from the cache of an earlier read of the same keys in the transaction: no row, and the task
     * written was returned without its id (on main). Each read now asks the database (local-cache-scope: statement).
     */
    @Test
    void aReadAfterABatchedWriteInTheSameTransactionSeesTheRowWritten() {
        String key = "cache-" + UUID.randomUUID();
        NotifyTaskRepository readBack = new NotifyTaskRepository(taskDao, batchInserts, clock, false);
        List<NotifyTaskVO> written = transaction.execute(status -> {
            assertThat(taskDao.queryIdsByTaskKeys(List.of(key))).isEmpty();
            List<NotifyTaskVO> tasks =
                    readBack.saveNewTasks(List.of(httpTask(key, "cache")), Collections.singletonList(null));
            assertThat(taskDao.queryIdsByTaskKeys(List.of(key))).hasSize(1);
            return tasks;
        });

        assertThat(written).hasSize(1);
        assertThat(written.get(0).getId())
                .isEqualTo(jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key));
    }

    @Test
    void batchedInsertsRefuseToRunOutsideATransaction() {
        // Outside one, each insert would be sent on its own and the flush would find nothing to count.
        assertThatThrownBy(() -> batchInserts.mapper(INotifyTaskDao.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBatchRolledBackLeavesNoLeasedCheck() {
        NotifyLease lease = lease();
        LockOrderAggregate first = lock(true, null, 2, lease);
        // The same order id twice (uq_order_id): the member rows' insert fails and the batch is rolled back whole.
        LockOrderAggregate twin = LockAggregates.sameOrderIdAs(first);

        assertThatThrownBy(() -> writer.write(List.of(first, twin))).isInstanceOf(DataAccessException.class);

        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE claim_token = ? OR team_id = ?",
                        Integer.class,
                        lease.token(),
                        first.getTeamId()))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE order_id = ?",
                        Integer.class,
                        first.getOrderId()))
                .isZero();
    }

    private void writeConcurrentlyAndCheck(LockBatchWriter batchWriter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        NotifyTaskRepository single = new NotifyTaskRepository(taskDao, batchInserts, clock);
        try {
            // Single outbox writes beside the batches, as settlements make: their ids fall between the batches'.
            Future<?> others = pool.submit(() -> {
                start.await();
                for (int i = 0; !done.get(); i++) {
                    long n = LockAggregates.next();
                    transaction.executeWithoutResult(status -> single.saveTask(httpTask("other:" + n, "other")));
                }
                return null;
            });
            List<Future<List<Batch>>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    List<Batch> written = new ArrayList<>();
                    for (int b = 0; b < BATCHES; b++) {
                        List<LockOrderAggregate> locks = new ArrayList<>();
                        for (int i = 0; i < LOCKS; i++) {
                            // Every other lock's checks under a lease of its own (the relay's), the others unleased
                            // (the relay's queue was full): both kinds in one multi-row insert.
                            locks.add(lock(true, null, i % 3, i % 2 == 0 ? lease() : null));
                        }
                        written.add(new Batch(locks, batchWriter.write(locks)));
                    }
                    return written;
                }));
            }
            start.countDown();
            for (Future<List<Batch>> w : writers) {
                for (Batch batch : w.get(120, TimeUnit.SECONDS)) {
                    for (int i = 0; i < batch.outcomes().size(); i++) {
                        assertIdsNameTheirChecks(batch.outcomes().get(i), i % 3);
                        assertWrittenUnderItsLease(
                                batch.outcomes().get(i), batch.locks().get(i));
                    }
                }
            }
            done.set(true);
            others.get(60, TimeUnit.SECONDS);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    /** INSERT statements the server has run on this connection so far (its session's own counter). */
    private static long sessionInserts(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW SESSION STATUS LIKE 'Com_insert'")) {
            row.next();
            return row.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids point at rows whose task keys are this lock's checks, in the order the lock listed them. */
    private void assertIdsNameTheirChecks(LockOutcome outcome, int checks) {
        String teamId = outcome.order().getTeamId();
        String orderId = outcome.order().getOrderId();
        List<Long> ids = outcome.order().getCloseCheckTaskIds();
        if (checks == 0) {
            assertThat(ids).isNull();
            return;
        }
        List<String> expected = LockAggregates.checkKeys(teamId, orderId, checks);
        assertThat(ids).hasSize(checks);
        List<String> keys = new ArrayList<>();
        for (long id : ids) {
            keys.add(jdbc.queryForObject("SELECT task_key FROM notify_task WHERE id = ?", String.class, id));
        }
        assertThat(keys).as("lock %s / %s", teamId, orderId).isEqualTo(expected);
    }

    /**
     * A lock with a lease gets its checks back as the relay publishes them (same ids, the lease's token, the row's
     * webhook id) and its rows hold that lease (holder, token, end); a lock without one gets ids only, rows unleased.
     */
    private void assertWrittenUnderItsLease(LockOutcome outcome, LockOrderAggregate lock) {
        List<Long> ids = outcome.order().getCloseCheckTaskIds();
        NotifyLease lease = lock.getCloseCheckLease();
        if (ids == null) {
            assertThat(outcome.order().getLeasedCloseChecks()).isNull();
            return;
        }
        List<NotifyTaskVO> leased = outcome.order().getLeasedCloseChecks();
        if (lease == null) {
            assertThat(leased).isNull();
        } else {
            assertThat(leased).extracting(NotifyTaskVO::getId).isEqualTo(ids);
        }
        for (int k = 0; k < ids.size(); k++) {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT webhook_id, notify_type, notify_status, claimed_by, claim_token, claim_until "
                            + "FROM notify_task WHERE id = ?",
                    ids.get(k));
            assertThat(row).containsEntry("notify_type", "DELAY").containsEntry("notify_status", 0);
            if (lease == null) {
                assertThat(row.get("claimed_by")).isNull();
                assertThat(row.get("claim_token")).isNull();
                assertThat(row.get("claim_until")).isNull();
                continue;
            }
            assertThat(row).containsEntry("claimed_by", lease.holder()).containsEntry("claim_token", lease.token());
            // The column holds UTC; the driver hands DATETIME back as it is. The lease is what was left of it when the
            // row was built, counted on from the insert by the database's clock (the local one here): it ends no
            // sooner than the relay's own deadline (a millisecond cut aside), by the insert's delay later.
            assertThat(((LocalDateTime) row.get("claim_until")).toInstant(ZoneOffset.UTC))
                    .isBetween(lease.until().minusMillis(2), lease.until().plusSeconds(5));
            NotifyTaskVO task = leased.get(k);
            assertThat(task.getClaimToken()).isEqualTo(lease.token());
            assertThat(task.getWebhookId()).isEqualTo(row.get("webhook_id"));
            assertThat(task.getNotifyType()).isEqualTo("DELAY");
            assertThat(task.getNotifyCount()).isZero();
        }
    }

    /** A lease of its own (as the relay gives each lock), ending on a whole millisecond as the column keeps it. */
    private static NotifyTaskEntity httpTask(String key, String teamId) {
        return NotifyTaskEntity.builder()
                .taskKey(key)
                .activityId(1L)
                .teamId(teamId)
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_settlement")
                .notifyType("HTTP")
                .notifyUrl("http://127.0.0.1:1/cb")
                .body("{}")
                .build();
    }

    private static NotifyLease lease() {
        return new NotifyLease(
                "relay-of-batch-it",
                UUID.randomUUID().toString(),
                Instant.now().plus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
    }

    private record Batch(List<LockOrderAggregate> locks, List<LockOutcome> outcomes) {}
}
