package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.trade.LockAggregates.lock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.infrastructure.trade.repository.LockBatchWriter;
import com.groupbuy.market.infrastructure.trade.repository.LockOutcome;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitOn;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The close checks of locks written by group commit (#19) are written under the close-check relay's lease, as a lock
 * written alone writes them (#15): the relay publishes them to their delay lanes without a claim of its own, and the
 * compensation job leaves them alone while the lease lasts and takes them once it has ended (the instance that held
 * it died). Every write to a check row is recorded by triggers in this class's database, so "no claim" is read from
 * the database itself: a check's only update is the relay's finish, under the token it was inserted with. Real
 * MariaDB, Redis and RabbitMQ, on queues of this class's own; checks due in 10 and 16 minutes stay in their lanes.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@LockGroupCommitOn
// One message per check (no bundles, #19): the lanes' message counts below count the checks published.
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=10m",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.bundle-spread=0"
        })
class GroupCommitCloseCheckLeaseIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_gclease_");
    private static final String SUFFIX = QUEUES.suffix();
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();
    private static final String LANES = QUEUES.lanePrefix();
    /** The unpaid timeout's lane (10 min); the team checks' lane is the team's 15 min + the 60 s grace. */
    private static final String UNPAID_LANE = LANES + "600s";

    private static final String TEAM_LANE = LANES + "960s";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(19700);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    /** The test's own view of the broker: how many checks wait in a lane. */
    private static final CachingConnectionFactory BROKER = new CachingConnectionFactory("127.0.0.1", 5672);

    private static final RabbitAdmin ADMIN = new RabbitAdmin(BROKER);

    @AfterAll
    static void dropBrokerObjects() {
        try {
            QUEUES.delete(UNPAID_LANE, TEAM_LANE);
        } finally {
            BROKER.destroy();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    INotifyDispatcher dispatcher;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    LockBatchWriter writer;

    @Autowired
    MeterRegistry meters;

    private long activityId;
    private TradeClient mall;

    @BeforeEach
    void recordEveryWriteOfATask() {
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
        // No AUTO_INCREMENT here: the triggers must not touch the insert id the driver numbers a batch's rows from.
        jdbc.execute("CREATE TABLE IF NOT EXISTS task_write (task_id BIGINT NOT NULL, event VARCHAR(8) NOT NULL,"
                + " old_token CHAR(36) NULL, new_token CHAR(36) NULL, holder VARCHAR(64) NULL,"
                + " lease_until DATETIME(3) NULL, status TINYINT NOT NULL, written DATETIME(6) NOT NULL)");
        jdbc.execute("DELETE FROM task_write");
        jdbc.execute("CREATE TRIGGER IF NOT EXISTS task_inserted AFTER INSERT ON notify_task FOR EACH ROW"
                + " INSERT INTO task_write VALUES (NEW.id, 'insert', NULL, NEW.claim_token, NEW.claimed_by,"
                + " NEW.claim_until, NEW.notify_status, NOW(6))");
        jdbc.execute("CREATE TRIGGER IF NOT EXISTS task_updated AFTER UPDATE ON notify_task FOR EACH ROW"
                + " INSERT INTO task_write VALUES (NEW.id, 'update', OLD.claim_token, NEW.claim_token,"
                + " NEW.claimed_by, NEW.claim_until, NEW.notify_status, NOW(6))");
    }

    @AfterEach
    void noTriggers() {
        jdbc.execute("DROP TRIGGER IF EXISTS task_inserted");
        jdbc.execute("DROP TRIGGER IF EXISTS task_updated");
    }

    @Test
    void checksOfGroupCommittedLocksArePublishedUnderTheirLocksLeaseWithoutAClaim() throws Exception {
        // The relay's lease as it gives it to each lock: its holder and token; its end moves with the clock.
        NotifyLease earliest = dispatcher.closeCheckLease();
        double fallbacksBefore = fallbacks();
        long laneMessagesBefore = messages(UNPAID_LANE) + messages(TEAM_LANE);
        String teamId = mall.team("leader");
        List<Callable<JsonNode>> locks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String user = "opener" + i;
            locks.add(() -> mall.lock(user, ""));
        }
        for (int i = 0; i < 2; i++) {
            String user = "joiner" + i;
            locks.add(() -> mall.lock(user, teamId));
        }

        List<JsonNode> answers = together(locks);
        NotifyLease latest = dispatcher.closeCheckLease();

        answers.forEach(
                a -> assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("0000"));
        assertThat(fallbacks()).as("every lock written by the batch writer").isEqualTo(fallbacksBefore);
        // 7 teams opened (a team check each) and 9 orders locked (an unpaid check each).
        List<Long> checks = jdbc.queryForList(
                "SELECT id FROM notify_task WHERE notify_type = 'DELAY' AND activity_id = ? ORDER BY id",
                Long.class,
                activityId);
        assertThat(checks).hasSize(16);
        await(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_status = 1"
                                + " AND activity_id = ?",
                        Integer.class,
                        activityId)
                == 16);
        for (long id : checks) {
            List<Map<String, Object>> writes = writes(id);
            assertThat(writes)
                    .as("task %d: inserted, then finished, nothing between", id)
                    .hasSize(2);
            Map<String, Object> inserted = writes.get(0);
            assertThat(inserted)
                    .containsEntry("event", "insert")
                    .containsEntry("new_token", earliest.token())
                    .containsEntry("holder", earliest.holder());
            assertThat(((LocalDateTime) inserted.get("lease_until")).toInstant(ZoneOffset.UTC))
                    .isBetween(earliest.until().truncatedTo(ChronoUnit.MILLIS), latest.until());
            Map<String, Object> finished = writes.get(1);
            assertThat(finished)
                    .as("the relay's finish, under the token the lock wrote")
                    .containsEntry("event", "update")
                    .containsEntry("old_token", earliest.token())
                    .containsEntry("new_token", null)
                    .containsEntry("status", 1);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_count = 1"
                                + " AND claim_token IS NULL AND activity_id = ?",
                        Integer.class,
                        activityId))
                .isEqualTo(16);
        await(() -> messages(UNPAID_LANE) + messages(TEAM_LANE) - laneMessagesBefore == 16);
    }

    @Test
    void checksLeasedToAnInstanceThatDiedAreLeftWhileTheLeaseLastsThenTakenOverByTheCompensationJob() throws Exception {
        // Written by a batch under a relay's lease, and that instance died before its relay published them.
        NotifyLease dead = new NotifyLease(
                "dead-instance",
                UUID.randomUUID().toString(),
                Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS));
        List<LockOrderAggregate> locks = List.of(lock(true, null, 2, dead), lock(true, null, 1, dead));
        long laneMessagesBefore = messages(UNPAID_LANE);
        List<Long> ids = new ArrayList<>();
        for (LockOutcome outcome : writer.write(locks)) {
            ids.addAll(outcome.order().getCloseCheckTaskIds());
        }
        assertThat(ids).hasSize(3);

        notifyService.deliverAllDue();

        for (long id : ids) {
            assertThat(task(id))
                    .as("left to the lease's holder while it lasts")
                    .containsEntry("notify_status", 0)
                    .containsEntry("claim_token", dead.token());
        }
        long untilEnd = dead.until().toEpochMilli() - System.currentTimeMillis() + 100;
        if (untilEnd > 0) {
            Thread.sleep(untilEnd);
        }
        await(() -> {
            notifyService.deliverAllDue();
            return ids.stream().allMatch(id -> ((Number) task(id).get("notify_status")).intValue() == 1);
        });
        for (long id : ids) {
            assertThat(task(id)).containsEntry("notify_count", 1).containsEntry("claim_token", null);
            List<Map<String, Object>> writes = writes(id);
            assertThat(writes.get(0)).containsEntry("event", "insert").containsEntry("new_token", dead.token());
            assertThat(writes)
                    .as("task %d: claimed by the job from the dead lease, then finished", id)
                    .anySatisfy(w -> assertThat(w)
                            .containsEntry("event", "update")
                            .containsEntry("old_token", dead.token())
                            .doesNotContainEntry("new_token", dead.token())
                            .doesNotContainEntry("new_token", null));
        }
        await(() -> messages(UNPAID_LANE) - laneMessagesBefore == 3);
    }

    private List<Map<String, Object>> writes(long taskId) {
        // Inserted first; updates in the order made.
        return jdbc.queryForList(
                "SELECT event, old_token, new_token, holder, lease_until, status FROM task_write WHERE task_id = ?"
                        + " ORDER BY event = 'update', written",
                taskId);
    }

    private Map<String, Object> task(long id) {
        return jdbc.queryForMap("SELECT notify_status, notify_count, claim_token FROM notify_task WHERE id = ?", id);
    }

    private long messages(String queue) {
        Properties properties = ADMIN.getQueueProperties(queue);
        return properties == null ? 0 : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
    }

    private double fallbacks() {
        return meters.get("gbm.lock.group.commit.fallbacks").counter().count();
    }

    private static List<JsonNode> together(List<Callable<JsonNode>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (Callable<JsonNode> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
