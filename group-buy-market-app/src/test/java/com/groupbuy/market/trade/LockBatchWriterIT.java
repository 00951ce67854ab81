package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskRepository;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.repository.LockBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.LockOutcome;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.types.enums.ResponseCode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The close checks of locks written together (#19) go to the outbox in one multi-row insert, and each lock must get
 * back the ids of its own rows (the relay publishes by id). Checked with the ids taken from the driver's generated
 * keys (the server's lock mode) and with the ids read back by key, while other batches and single outbox writes
 * insert into the same table at the same time.
 */
@IntegrationTest
class LockBatchWriterIT {

    private static final AtomicLong IDS = new AtomicLong(10_000_000L);
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
    TransactionTemplate transaction;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    Clock clock;

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
        NotifyTaskRepository readBack = new NotifyTaskRepository(taskDao, clock, false);
        writeConcurrentlyAndCheck(new LockBatchWriter(teamDao, orderDao, transaction, readBack));
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

    private void writeConcurrentlyAndCheck(LockBatchWriter batchWriter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        NotifyTaskRepository single = new NotifyTaskRepository(taskDao, clock);
        try {
            // Single outbox writes beside the batches, as settlements make: their ids fall between the batches'.
            Future<?> others = pool.submit(() -> {
                start.await();
                for (int i = 0; !done.get(); i++) {
                    long n = IDS.incrementAndGet();
                    transaction.executeWithoutResult(status -> single.saveTask(NotifyTaskEntity.builder()
                            .taskKey("other:" + n)
                            .teamId("other")
                            .source("s01")
                            .channel("c01")
                            .notifyCategory("trade_settlement")
                            .notifyType("HTTP")
                            .notifyUrl("http://127.0.0.1:1/cb")
                            .body("{}")
                            .build()));
                }
                return null;
            });
            List<Future<List<List<LockOutcome>>>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    List<List<LockOutcome>> written = new ArrayList<>();
                    for (int b = 0; b < BATCHES; b++) {
                        List<LockOrderAggregate> locks = new ArrayList<>();
                        for (int i = 0; i < LOCKS; i++) {
                            locks.add(lock(true, null, i % 3));
                        }
                        written.add(batchWriter.write(locks));
                    }
                    return written;
                }));
            }
            start.countDown();
            for (Future<List<List<LockOutcome>>> w : writers) {
                for (List<LockOutcome> batch : w.get(120, TimeUnit.SECONDS)) {
                    for (int i = 0; i < batch.size(); i++) {
                        assertIdsNameTheirChecks(batch.get(i), i % 3);
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

    /** The ids point at rows whose task keys are this lock's checks, in the order the lock listed them. */
    private void assertIdsNameTheirChecks(LockOutcome outcome, int checks) {
        String teamId = outcome.order().getTeamId();
        String orderId = outcome.order().getOrderId();
        List<Long> ids = outcome.order().getCloseCheckTaskIds();
        if (checks == 0) {
            assertThat(ids).isNull();
            return;
        }
        List<String> expected = expectedChecks(teamId, orderId, checks);
        assertThat(ids).hasSize(checks);
        List<String> keys = new ArrayList<>();
        for (long id : ids) {
            keys.add(jdbc.queryForObject("SELECT task_key FROM notify_task WHERE id = ?", String.class, id));
        }
        assertThat(keys).as("lock %s / %s", teamId, orderId).isEqualTo(expected);
    }

    private static List<String> expectedChecks(String teamId, String orderId, int checks) {
        List<String> keys = new ArrayList<>();
        for (CloseCheckVO check : checks(teamId, orderId, checks)) {
            keys.add(check.taskKey());
        }
        return keys;
    }

    /** 1: the unpaid order's check; 2: the team's and the order's. */
    private static List<CloseCheckVO> checks(String teamId, String orderId, int count) {
        Instant at = Instant.now().plus(10, ChronoUnit.MINUTES);
        List<CloseCheckVO> checks = new ArrayList<>();
        if (count >= 2) {
            checks.add(CloseCheckVO.teamExpiry(teamId, at, Duration.ofMinutes(10)));
        }
        if (count >= 1) {
            checks.add(CloseCheckVO.unpaidOrder(teamId, orderId, at, Duration.ofMinutes(10)));
        }
        return checks;
    }

    private static LockOrderAggregate lock(boolean newTeam, String joinedTeamId, int checkCount) {
        long n = IDS.incrementAndGet();
        String teamId = newTeam ? String.valueOf(n % 100_000_000L) : joinedTeamId;
        String orderId = String.format("%012d", n);
        String user = "batch-user-" + n;
        Instant now = Instant.now();
        return LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .userId(user)
                        .activityId(19900L)
                        .goodsId("g19900")
                        .source("s01")
                        .channel("c01")
                        .outTradeNo("out-" + user)
                        .notifyType("HTTP")
                        .notifyUrl("http://127.0.0.1:1/cb")
                        .build())
                .newTeam(newTeam)
                .teamId(teamId)
                .orderId(orderId)
                .targetCount(3)
                .originalPrice(new BigDecimal("100.00"))
                .deductionPrice(new BigDecimal("20.00"))
                .payPrice(new BigDecimal("80.00"))
                .activityStartTime(now.minus(1, ChronoUnit.DAYS))
                .activityEndTime(now.plus(1, ChronoUnit.DAYS))
                .validStartTime(now)
                .validEndTime(now.plus(15, ChronoUnit.MINUTES))
                .takeSequence(1)
                .closeChecks(checks(teamId, orderId, checkCount))
                .build();
    }
}
