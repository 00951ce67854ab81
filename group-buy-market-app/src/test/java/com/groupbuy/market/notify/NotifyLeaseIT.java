package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyDeferralDao;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyPageBytes;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskStore;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases of the outbox against the real MariaDB: fencing tokens (a claimant whose lease was taken over cannot
 * finish the task), batch claims that skip rows another claimant holds, and two concurrent runs that never deliver
 * one task twice to a real partner server.
 */
@IntegrationTest
class NotifyLeaseIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    NotifyTaskStore store;

    @Autowired
    GroupBuyNotifyService gateway;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    org.apache.ibatis.session.SqlSessionFactory sessions;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    INotifyDeferralDao deferrals;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    MeterRegistry meters;

    private PartnerReceiver partner;
    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        tasks = new NotifyTaskFixture(jdbc);
        // Earlier tests' tasks are done and hold no lease, whatever order the tests ran in.
        jdbc.update(
                "UPDATE notify_task SET notify_status = 1, claimed_by = NULL, claim_token = NULL, claim_until = NULL");
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    /** The task's lease ends now by the database's clock, the one every lease is judged on. */
    private void leaseRanOut(long id) {
        jdbc.update("UPDATE notify_task SET claim_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?", id);
    }

    @Test
    void aClaimantWhoseLeaseWasTakenOverCannotFinishTheTask() {
        String teamId = tasks.dueTask(partner.url());
        long id = taskId(teamId);
        Instant now = Instant.now();
        // Both claimants run in this JVM under the same worker name, as two lanes of one service do.
        NotifyTaskVO stale = store.claim(id, "jvm-1", now, now.plusSeconds(1), false);
        leaseRanOut(id);
        Instant later = now.plusSeconds(2);
        NotifyTaskVO current = store.claim(id, "jvm-1", later, later.plusSeconds(60), false);
        assertThat(stale).isNotNull();
        assertThat(current).isNotNull();
        assertThat(current.getClaimToken()).isNotEqualTo(stale.getClaimToken());

        boolean currentWrote = store.finishAttempt(
                current,
                later,
                new DeliveryResult(false, 503, 5, "HTTP 503"),
                NotifyTaskStatus.RETRY,
                later.plusSeconds(30));
        boolean staleWrote =
                store.finishAttempt(stale, now, new DeliveryResult(true, 200, 5, null), NotifyTaskStatus.SUCCESS, now);

        assertThat(currentWrote).isTrue();
        assertThat(staleWrote).as("the stale claimant's write affects no row").isFalse();
        assertThat(tasks.status(teamId))
                .as("the current claimant's result stands")
                .isEqualTo(NotifyTaskStatus.RETRY.code());
        assertThat(tasks.count(teamId)).isEqualTo(1);
        assertThat(tasks.attemptRows(teamId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT http_status FROM notify_attempt WHERE task_id = ?", Integer.class, id))
                .isEqualTo(503);
    }

    /**
     * The worker name is the JVM's {@code pid@hostname} plus a suffix: on a host with a long name (an EC2 FQDN, a long
     * pod name) it is longer than {@code claimed_by} (64). The lease still goes through, the name cut (the fencing is
     * the token). Before, MariaDB's strict mode refused the lease's UPDATE ("Data too long"): no task could be leased,
     * so the compensation job delivered nothing on such a host.
     */
    @Test
    void aWorkerNameLongerThanItsColumnStillLeasesTasks() {
        String teamId = tasks.dueTask(partner.url());
        String other = tasks.dueTask(partner.url());
        String worker = "1234567@ip-172-31-45-123.ap-northeast-1.compute.internal.example/0a1b2c3d";
        Instant now = Instant.now();

        NotifyTaskVO one = store.claim(taskId(teamId), worker, now, now.plusSeconds(60), false);
        List<NotifyTaskVO> page = store.claimDue(now, now, 0, 1, 10, 10, worker, now.plusSeconds(60));

        assertThat(one).isNotNull();
        assertThat(page).extracting(NotifyTaskVO::getTeamId).contains(other);
        assertThat(jdbc.queryForObject("SELECT claimed_by FROM notify_task WHERE team_id = ?", String.class, other))
                .isEqualTo(worker.substring(0, 64));
    }

    @Test
    void aStaleClaimantCannotFinishEvenBeforeTheNewOneDoes() {
        String teamId = tasks.dueTask(partner.url());
        long id = taskId(teamId);
        Instant now = Instant.now();
        NotifyTaskVO stale = store.claim(id, "jvm-1", now, now.plusSeconds(1), false);
        leaseRanOut(id);
        Instant later = now.plusSeconds(2);
        NotifyTaskVO current = store.claim(id, "jvm-1", later, later.plusSeconds(60), false);

        assertThat(store.finishAttempt(
                        stale, now, new DeliveryResult(true, 200, 5, null), NotifyTaskStatus.SUCCESS, now))
                .isFalse();
        assertThat(tasks.status(teamId)).isEqualTo(NotifyTaskStatus.INIT.code());
        assertThat(tasks.attemptRows(teamId)).isZero();
        assertThat(store.finishAttempt(
                        current, later, new DeliveryResult(true, 200, 5, null), NotifyTaskStatus.SUCCESS, later))
                .isTrue();
        assertThat(tasks.status(teamId)).isEqualTo(NotifyTaskStatus.SUCCESS.code());
    }

    @Test
    void oneBatchClaimLeasesSeveralTasksUnderOneTokenAndSkipsRowsAnotherClaimantLocks() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            teams.add(tasks.dueTask(partner.url()));
        }
        List<Long> ids = teams.stream().map(this::taskId).toList();
        Set<Long> held = Set.of(ids.get(0), ids.get(1));
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            // Another claimant is in the middle of its claim transaction on the two oldest tasks.
            try (PreparedStatement lock =
                    other.prepareStatement("SELECT id FROM notify_task WHERE id IN (?, ?) FOR UPDATE")) {
                lock.setLong(1, ids.get(0));
                lock.setLong(2, ids.get(1));
                try (ResultSet rs = lock.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
            Instant now = Instant.now();
            List<NotifyTaskVO> batch = store.claimDue(now, now, 0, 1, 10, 10, "w", now.plusSeconds(60));
            other.rollback();

            assertThat(batch)
                    .extracting(NotifyTaskVO::getId)
                    .containsExactlyInAnyOrderElementsOf(
                            ids.stream().filter(id -> !held.contains(id)).toList());
            assertThat(batch)
                    .extracting(NotifyTaskVO::getClaimToken)
                    .containsOnly(batch.get(0).getClaimToken());
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(DISTINCT claim_token) FROM notify_task " + "WHERE claim_token IS NOT NULL",
                            Integer.class))
                    .isEqualTo(1);
        }
        Instant now = Instant.now();
        assertThat(store.claimDue(now, now, 0, 1, 10, 10, "w", now.plusSeconds(60)))
                .extracting(NotifyTaskVO::getId)
                .as("once released, the two are claimable; the leased four are not")
                .containsExactlyInAnyOrderElementsOf(held);
    }

    @Test
    void aPageTakesAllItsMqTasksButOnlyAsManyHttpTasksAsFitInTheLease() {
        List<String> http = new ArrayList<>();
        List<String> mq = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            http.add(tasks.dueTask(partner.url()));
            mq.add(tasks.dueTask(partner.url()));
        }
        jdbc.update(
                "UPDATE notify_task SET notify_type = 'MQ', notify_mq = 'k', notify_url = NULL WHERE team_id IN (?, ?, ?, ?)",
                mq.toArray());
        // Due a second apart in the order written (tasks due at the same millisecond have no order of their own).
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(http.get(i));
            all.add(mq.get(i));
        }
        for (int i = 0; i < all.size(); i++) {
            jdbc.update(
                    "UPDATE notify_task SET next_attempt_time = ? WHERE team_id = ?",
                    java.sql.Timestamp.from(Instant.now().minusSeconds(20 - i)),
                    all.get(i));
        }
        Instant now = Instant.now();

        List<NotifyTaskVO> page = store.claimDue(now, now, 0, 1, 100, 2, "w", now.plusSeconds(60));

        // Oldest first: the two oldest HTTP tasks and every MQ task; the two younger HTTP tasks stay unleased.
        assertThat(page)
                .extracting(NotifyTaskVO::getTeamId)
                .containsExactly(http.get(0), mq.get(0), http.get(1), mq.get(1), mq.get(2), mq.get(3));
        assertThat(page)
                .allMatch(t -> t.getClaimToken() != null
                        && t.getClaimToken().equals(page.get(0).getClaimToken()));
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE claim_token IS NULL AND team_id IN (?, ?)",
                        Integer.class,
                        http.get(2),
                        http.get(3)))
                .isEqualTo(2);
    }

    @Test
    void finishingAPageRecordsEveryTaskStillHeldAndNothingForOneTakenOver() {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            teams.add(tasks.dueTask(partner.url()));
        }
        Instant now = Instant.now();
        List<NotifyTaskVO> page = store.claimDue(now, now, 0, 1, 100, 100, "w", now.plusSeconds(60));
        assertThat(page).hasSize(5);
        // Another claimant took the third task over meanwhile.
        jdbc.update(
                "UPDATE notify_task SET claim_token = 'newer' WHERE id = ?",
                page.get(2).getId());
        List<NotifyAttemptOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            boolean ok = i % 2 == 0;
            outcomes.add(new NotifyAttemptOutcome(
                    page.get(i),
                    now,
                    new DeliveryResult(ok, ok ? 200 : 503, 3, ok ? null : "HTTP 503"),
                    ok ? NotifyTaskStatus.SUCCESS : NotifyTaskStatus.RETRY,
                    now.plusSeconds(30)));
        }

        List<Boolean> recorded = store.finishAttempts(outcomes);

        assertThat(recorded).containsExactly(true, true, false, true, true);
        for (int i = 0; i < 5; i++) {
            String team = page.get(i).getTeamId();
            if (i == 2) {
                assertThat(tasks.status(team)).isEqualTo(NotifyTaskStatus.INIT.code());
                assertThat(tasks.count(team)).isZero();
                assertThat(tasks.attemptRows(team)).isZero();
            } else {
                assertThat(tasks.status(team))
                        .isEqualTo(i % 2 == 0 ? NotifyTaskStatus.SUCCESS.code() : NotifyTaskStatus.RETRY.code());
                assertThat(tasks.count(team)).isEqualTo(1);
                assertThat(tasks.attemptRows(team)).isEqualTo(1);
            }
        }
        assertThat(jdbc.queryForObject(
                        "SELECT claim_token FROM notify_task WHERE id = ?",
                        String.class,
                        page.get(2).getId()))
                .isEqualTo("newer");
    }

    /**
     * #19: a page of one outcome writes its attempt rows as one statement over a JSON array of (task, attempt number,
     * latency); each row must still carry its own task's attempt number and latency, and the page's time, status and
     * error. A page whose HTTP statuses differ goes row by row; both give the same rows.
     */
    @Test
    void aPageOfOneOutcomeWritesEachTasksOwnAttemptRow() {
        for (boolean statusesDiffer : new boolean[] {false, true}) {
            for (int i = 0; i < 5; i++) {
                tasks.dueTask(partner.url());
            }
            // One task tried twice already: its row is attempt 3, the others' attempt 1.
            jdbc.update("UPDATE notify_task SET notify_count = 2 WHERE notify_status = 0 ORDER BY id DESC LIMIT 1");
            Instant now = Instant.parse("2026-12-01T10:15:30.123Z");
            Instant claimTime = Instant.now();
            List<NotifyTaskVO> page =
                    store.claimDue(claimTime, claimTime, 0, 1, 100, 100, "w", claimTime.plusSeconds(60));
            assertThat(page).hasSize(5);
            List<NotifyAttemptOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < page.size(); i++) {
                Integer http = statusesDiffer && i == 3 ? 502 : 503;
                outcomes.add(new NotifyAttemptOutcome(
                        page.get(i),
                        now,
                        new DeliveryResult(false, http, 10L * i + 7, "HTTP 5xx"),
                        NotifyTaskStatus.RETRY,
                        now.plusSeconds(30)));
            }

            assertThat(store.finishAttempts(outcomes)).containsExactly(true, true, true, true, true);

            for (int i = 0; i < page.size(); i++) {
                NotifyTaskVO task = page.get(i);
                Map<String, Object> row = jdbc.queryForMap(
                        "SELECT attempt_no, DATE_FORMAT(attempt_time, '%Y-%m-%dT%H:%i:%s.%f') AS at, http_status,"
                                + " latency_ms, success, error FROM notify_attempt WHERE task_id = ?",
                        task.getId());
                assertThat(((Number) row.get("attempt_no")).intValue()).isEqualTo(task.getNotifyCount() + 1);
                assertThat((String) row.get("at")).isEqualTo("2026-12-01T10:15:30.123000");
                assertThat(((Number) row.get("http_status")).intValue())
                        .isEqualTo(statusesDiffer && i == 3 ? 502 : 503);
                assertThat(((Number) row.get("latency_ms")).longValue()).isEqualTo(10L * i + 7);
                assertThat(((Number) row.get("success")).intValue()).isZero();
                assertThat(row.get("error")).isEqualTo("HTTP 5xx");
                assertThat(tasks.status(task.getTeamId())).isEqualTo(NotifyTaskStatus.RETRY.code());
            }
            assertThat(page.stream().map(NotifyTaskVO::getNotifyCount)).contains(2);
            jdbc.update("UPDATE notify_task SET notify_status = 1");
        }
    }

    /**
     * #19: a page is finished by one UPDATE joined to a JSON array of its ids; the plan must find each task by primary
     * key (a subquery of the array in a single-table UPDATE would scan the whole outbox on MariaDB 10.11).
     */
    private static final String PAGE =
            "[[1,\"2026-12-02 03:50:00.123\"],[2,\"2026-12-02 03:50:00.456\"],[3,\"2026-12-02 03:50:01.000\"]]";

    @Test
    void aPageIsFinishedThroughThePrimaryKey() {
        String sql = sessions.getConfiguration()
                .getMappedStatement("com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao.finishAll")
                .getBoundSql(Map.of("pageArray", PAGE, "token", "t", "status", 1, "lastError", "e"))
                .getSql();
        assertThat(sql).doesNotContain("IN (");
        List<Map<String, Object>> plan = jdbc.queryForList("EXPLAIN " + sql, PAGE, 1, "e", "t");
        assertThat(plan).anySatisfy(row -> {
            assertThat(row.get("table")).isEqualTo("t");
            assertThat(row.get("type")).isEqualTo("eq_ref");
            assertThat(row.get("key")).isEqualTo("PRIMARY");
        });
    }

    @Test
    void aPageOfOneOutcomeIsFinishedInOneStatementUnlessATaskWasTakenOver() {
        for (boolean takeOneOver : new boolean[] {false, true}) {
            List<String> teams = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                teams.add(tasks.dueTask(partner.url()));
            }
            Instant now = Instant.now();
            List<NotifyTaskVO> page = store.claimDue(now, now, 0, 1, 100, 100, "w", now.plusSeconds(60));
            assertThat(page).hasSize(6);
            if (takeOneOver) {
                jdbc.update(
                        "UPDATE notify_task SET claim_token = 'newer' WHERE id = ?",
                        page.get(5).getId());
            }
            // A confirmed batch: one claim, one attempt time, every task delivered.
            List<NotifyAttemptOutcome> outcomes = page.stream()
                    .map(t -> new NotifyAttemptOutcome(
                            t, now, new DeliveryResult(true, null, 2, null), NotifyTaskStatus.SUCCESS, now))
                    .toList();

            List<Boolean> recorded = store.finishAttempts(outcomes);

            assertThat(recorded).containsExactly(true, true, true, true, true, !takeOneOver);
            for (int i = 0; i < 6; i++) {
                String team = page.get(i).getTeamId();
                boolean ours = i < 5 || !takeOneOver;
                assertThat(tasks.status(team))
                        .isEqualTo(ours ? NotifyTaskStatus.SUCCESS.code() : NotifyTaskStatus.INIT.code());
                assertThat(tasks.count(team)).isEqualTo(ours ? 1 : 0);
                assertThat(tasks.attemptRows(team)).isEqualTo(ours ? 1 : 0);
            }
            jdbc.update("UPDATE notify_task SET notify_status = 1");
        }
    }

    /**
     * #19: the after-commit callbacks recorded together share one claim and one outcome but were delivered at
     * different times: one page still, and each task keeps the time of the attempt that delivered it, to the
     * millisecond; a task taken over meanwhile sends the page task by task, with the same per-task times.
     */
    @Test
    void aPageDeliveredAtDifferentTimesKeepsEachTasksOwnTime() {
        for (boolean takeOneOver : new boolean[] {false, true}) {
            for (int i = 0; i < 4; i++) {
                tasks.dueTask(partner.url());
            }
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<NotifyTaskVO> page = store.claimDue(now, now, 0, 1, 100, 100, "w", now.plusSeconds(60));
            assertThat(page).hasSize(4);
            if (takeOneOver) {
                jdbc.update(
                        "UPDATE notify_task SET claim_token = 'newer' WHERE id = ?",
                        page.get(3).getId());
            }
            List<NotifyAttemptOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Instant at = now.plusMillis(111L * i + 7);
                outcomes.add(new NotifyAttemptOutcome(
                        page.get(i), at, new DeliveryResult(true, null, 2, null), NotifyTaskStatus.SUCCESS, at));
            }

            List<Boolean> recorded = store.finishAttempts(outcomes);

            assertThat(recorded).containsExactly(true, true, true, !takeOneOver);
            for (int i = 0; i < 4; i++) {
                boolean ours = i < 3 || !takeOneOver;
                Map<String, Object> row = jdbc.queryForMap(
                        "SELECT notify_status, DATE_FORMAT(next_attempt_time, '%Y-%m-%d %H:%i:%s.%f') AS next_at"
                                + " FROM notify_task WHERE id = ?",
                        page.get(i).getId());
                assertThat(((Number) row.get("notify_status")).intValue())
                        .isEqualTo(ours ? NotifyTaskStatus.SUCCESS.code() : NotifyTaskStatus.INIT.code());
                if (ours) {
                    assertThat((String) row.get("next_at"))
                            .isEqualTo(com.groupbuy.market.infrastructure.mybatis.UtcInstantTypeHandler.toDatabaseText(
                                            outcomes.get(i).attemptTime())
                                    + "000");
                }
            }
            jdbc.update("UPDATE notify_task SET notify_status = 1");
        }
    }

    /**
     * #19: the recorder's page mixes claims (the dispatcher's one lease, and tasks claimed one by one): each claim's
     * alike outcomes are finished together and the lone one alone, in one transaction; a task of a group taken over
     * meanwhile sends the whole page task by task, and only that task is left to its new claimant.
     */
    @Test
    void aPageOfTwoClaimsIsFinishedClaimByClaim() {
        for (boolean takeOneOver : new boolean[] {false, true}) {
            for (int i = 0; i < 5; i++) {
                tasks.dueTask(partner.url());
            }
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<NotifyTaskVO> first = store.claimDue(now, now, 0, 1, 100, 100, "w", now.plusSeconds(60));
            assertThat(first).hasSize(5);
            // Tasks 3 and 4 claimed again under other tokens, as a one-by-one claim would hold them.
            jdbc.update(
                    "UPDATE notify_task SET claim_token = 'other' WHERE id = ?",
                    first.get(3).getId());
            jdbc.update(
                    "UPDATE notify_task SET claim_token = 'third' WHERE id = ?",
                    first.get(4).getId());
            List<NotifyTaskVO> page = new ArrayList<>(first.subList(0, 3));
            page.add(NotifyTaskVO.builder()
                    .id(first.get(3).getId())
                    .teamId(first.get(3).getTeamId())
                    .notifyCount(first.get(3).getNotifyCount())
                    .claimToken("other")
                    .build());
            page.add(NotifyTaskVO.builder()
                    .id(first.get(4).getId())
                    .teamId(first.get(4).getTeamId())
                    .notifyCount(first.get(4).getNotifyCount())
                    .claimToken("third")
                    .build());
            if (takeOneOver) {
                jdbc.update(
                        "UPDATE notify_task SET claim_token = 'newer' WHERE id = ?",
                        page.get(1).getId());
            }
            List<NotifyAttemptOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Instant at = now.plusMillis(37L * i);
                outcomes.add(new NotifyAttemptOutcome(
                        page.get(i), at, new DeliveryResult(true, null, 2, null), NotifyTaskStatus.SUCCESS, at));
            }

            List<Boolean> recorded = store.finishAttempts(outcomes);

            assertThat(recorded).containsExactly(true, !takeOneOver, true, true, true);
            for (int i = 0; i < 5; i++) {
                boolean ours = i != 1 || !takeOneOver;
                String team = page.get(i).getTeamId();
                assertThat(tasks.status(team))
                        .isEqualTo(ours ? NotifyTaskStatus.SUCCESS.code() : NotifyTaskStatus.INIT.code());
                assertThat(tasks.attemptRows(team)).isEqualTo(ours ? 1 : 0);
            }
            jdbc.update("UPDATE notify_task SET notify_status = 1");
        }
    }

    @Test
    void twoConcurrentRunsOfEightLanesNeverDeliverOneTaskTwice() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            teams.add(tasks.dueTask(partner.url()));
        }
        ExecutorService lanes = Executors.newFixedThreadPool(8);
        // lease 60 s and a send window of 12 s: four tasks per claim statement, as the defaults give.
        DueCallbackDeliveryService other = new DueCallbackDeliveryService(
                store,
                gateway,
                new NotifyBackoff(List.of(Duration.ofSeconds(30)), 0, () -> 0.5),
                Clock.systemUTC(),
                "other-node",
                DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofSeconds(50))
                        .sendWindow(Duration.ofSeconds(12))
                        .lanes(8)
                        .build(),
                lanes,
                new RunStop());

        // The partner answers no callback until both runs hold a lease on a page: neither run can finish a page, so
        // neither can claim a second one, before the other has claimed its first (a lane claims its next page only
        // once its page is recorded). So each run has tasks of its own whatever the scheduling: pages of 16 (the
        // context's) and 4 (this one's) on 8 lanes each are 160 at most of the 400. Without it one run took all 400
        // on a loaded machine before the other started. The hold is bounded under the gateway's 5 s read timeout.
        long firstId = taskId(teams.get(0));
        partner.holdAnswersUntil(() -> bothRunsHoldALease(firstId), Duration.ofSeconds(4));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<NotifyRunSummary> x = pool.submit(() -> {
            start.await();
            return notifyService.deliverAllDue();
        });
        Future<NotifyRunSummary> y = pool.submit(() -> {
            start.await();
            return other.deliverAllDue();
        });
        start.countDown();
        NotifyRunSummary a = x.get();
        NotifyRunSummary b = y.get();
        pool.shutdown();
        lanes.shutdown();

        Map<String, Long> perTeam = partner.received().stream()
                .collect(Collectors.groupingBy(body -> body.path("teamId").asText(), Collectors.counting()));
        assertThat(partner.holdRanOut())
                .as("both runs held a lease before the partner answered a callback (within 4 s of the first)")
                .isFalse();
        assertThat(partner.received()).hasSize(400);
        assertThat(perTeam.keySet()).containsExactlyInAnyOrderElementsOf(teams);
        assertThat(new HashSet<>(perTeam.values())).containsExactly(1L);
        assertThat(a.delivered() + b.delivered()).isEqualTo(400);
        assertThat(a.delivered()).isPositive();
        assertThat(b.delivered()).isPositive();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE id >= ? AND notify_status = 1 "
                                + "AND notify_count = 1 AND claim_token IS NULL",
                        Integer.class,
                        firstId))
                .isEqualTo(400);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt WHERE task_id >= ?", Integer.class, firstId))
                .isEqualTo(400);
    }

    /**
     * gbm.notify.page-bytes for HTTP tasks (the claim MQ pages use too): a claim leases, in order, the tasks whose
     * bodies fit together in the page's bytes, each with its whole body; the others it looked at are left unleased, free
     * for the next claim at once; each task is delivered once. On main the first claim leased all five (1.5 MB).
     */
    @Test
    void aClaimLeasesTheHttpTasksWhoseBodiesFitItsPageBytesAndLeavesTheRestUnleased() {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String team = tasks.dueTask(partner.url());
            jdbc.update(
                    "UPDATE notify_task SET parameter_json = CONCAT('{\"pad\":\"', REPEAT('x', 300000), '\",',"
                            + " SUBSTRING(parameter_json, 2)) WHERE team_id = ?",
                    team);
            teams.add(team);
        }
        NotifyTaskStore bounded =
                new NotifyTaskStore(taskDao, deferrals, sessions, transaction, meters, new NotifyPageBytes(700_000));
        List<List<String>> claims = new ArrayList<>();
        for (int claim = 0; claim < 4; claim++) {
            Instant now = Instant.now();
            List<NotifyTaskVO> page = bounded.claimDue(now, now, 0, 1, 100, 16, "w", now.plusSeconds(60));
            assertThat(page).allMatch(task -> task.getBody().length() > 300_000);
            claims.add(page.stream().map(NotifyTaskVO::getTeamId).toList());
            if (claim == 0) {
                assertThat(jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE claim_token IS NULL AND team_id IN (?, ?, ?)",
                                Integer.class,
                                teams.get(2),
                                teams.get(3),
                                teams.get(4)))
                        .as("the rows past the page's bytes are not leased")
                        .isEqualTo(3);
            }
        }
        assertThat(claims).containsExactly(teams.subList(0, 2), teams.subList(2, 4), teams.subList(4, 5), List.of());

        teams.forEach(team -> leaseRanOut(taskId(team)));
        NotifyRunSummary run = new DueCallbackDeliveryService(
                        bounded,
                        gateway,
                        new NotifyBackoff(List.of(Duration.ofSeconds(30)), 0, () -> 0.5),
                        Clock.systemUTC(),
                        "w",
                        DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofSeconds(30))
                                .build(),
                        Runnable::run,
                        new RunStop())
                .deliverAllDue();

        assertThat(run.delivered()).isEqualTo(5);
        assertThat(partner.received()).hasSize(5);
        assertThat(partner.received().stream().map(body -> body.path("teamId").asText()))
                .containsExactlyInAnyOrderElementsOf(teams);
        assertThat(partner.received())
                .allMatch(body -> body.path("pad").asText().length() == 300_000);
    }

    /** Whether both the context's worker and "other-node" hold a lease on one of the tasks from {@code firstId}. */
    private boolean bothRunsHoldALease(long firstId) {
        return jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT claimed_by = 'other-node') FROM notify_task"
                                + " WHERE id >= ? AND claim_token IS NOT NULL",
                        Integer.class,
                        firstId)
                == 2;
    }

    private long taskId(String teamId) {
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    /**
     * A big callback whose turn in a page comes too late for its send budget (the page's share of HTTP tasks is sized
     * by a small body's send window): a lease of 4 s, a send window of 1 s (three HTTP tasks a page), 100 KB/s at most
     * 3 s, so a 150 KB body's budget is 2.5 s.
     */
    private static final Duration SHORT_LEASE = Duration.ofSeconds(4);

    private static final Duration SHORT_WINDOW = Duration.ofSeconds(1);
    private static final SendBudget SHORT_BUDGET = new SendBudget(SHORT_WINDOW, 100_000, Duration.ofSeconds(3));
    private static final int BIG_BYTES = 150_000;

    /**
     * Released at once under its own token and sent on a fresh lease in the same run, no try used. On main it stayed
     * leased until its lease ran out, so the run ended without it and only a later run sent it (up to a minute late
     * with the default lease).
     */
    @Test
    void aBigBodyWhoseTurnCameTooLateIsSentOnAFreshLeaseInTheSameRun() {
        // Each callback is answered after 1.2 s: the two small ones take 2.4 s of the 4 s lease, and the big one's
        // 2.5 s no longer fits in the 1.6 s left.
        partner.answerAfter(Duration.ofMillis(1_200));
        String small1 = tasks.dueTask(partner.url());
        String small2 = tasks.dueTask(partner.url());
        String big = tasks.dueTaskWithBody(partner.url(), NotifyLeaseIT::bigBody);
        DueCallbackDeliveryService service = shortLeaseService(Duration.ofSeconds(30));

        long start = System.nanoTime();
        NotifyRunSummary run = service.deliverAllDue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Map<String, Object> row = jdbc.queryForMap(
                "SELECT notify_status, notify_count, last_error, claimed_by, claim_until FROM notify_task"
                        + " WHERE team_id = ?",
                big);
        assertThat(row.get("notify_status"))
                .as(
                        "the big task after one run of %s (%s): on main still leased, its send waiting out the lease",
                        took, row)
                .isEqualTo(NotifyTaskStatus.SUCCESS.code());
        assertThat(tasks.count(big)).as("attempts: the release used no try").isEqualTo(1);
        assertThat(tasks.attemptRows(big)).isEqualTo(1);
        assertThat(row.get("last_error")).isNull();
        assertThat(List.of(small1, small2))
                .allSatisfy(team -> assertThat(tasks.status(team)).isEqualTo(NotifyTaskStatus.SUCCESS.code()));
        assertThat(run.delivered()).isEqualTo(3);
        assertThat(partner.received().stream().map(body -> body.path("teamId").asText()))
                .as("each callback sent once")
                .containsExactly(small1, small2, big);
    }

    /**
     * The same release in a run whose budget ends right after it (two small callbacks of 1.2 s each, a run of 2 s): the
     * big task is left unsent until the next run, due as it was, no try used, lease released, and its last error says
     * why, as a deferral's does. On main the release wrote nothing but the lease: an operator listing the task saw no
     * reason it was not sent.
     */
    @Test
    void aBigBodyReleasedUnsentShowsWhyInItsLastError() {
        partner.answerAfter(Duration.ofMillis(1_200));
        tasks.dueTask(partner.url());
        tasks.dueTask(partner.url());
        String big = tasks.dueTaskWithBody(partner.url(), NotifyLeaseIT::bigBody);
        String columns = "notify_status, notify_count, next_attempt_time";
        Map<String, Object> before = jdbc.queryForMap("SELECT " + columns + " FROM notify_task WHERE team_id = ?", big);
        DueCallbackDeliveryService service = shortLeaseService(Duration.ofSeconds(2));

        service.deliverAllDue();

        assertThat(partner.received().stream().map(body -> body.path("teamId").asText()))
                .as("the big one is not sent in this run")
                .doesNotContain(big);
        assertThat(jdbc.queryForMap("SELECT " + columns + " FROM notify_task WHERE team_id = ?", big))
                .as("due as it was, no try used")
                .isEqualTo(before);
        assertThat(tasks.attemptRows(big)).isZero();
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT last_error, claimed_by, claim_token, claim_until FROM notify_task WHERE team_id = ?", big);
        assertThat(row.get("claim_token")).as("released").isNull();
        assertThat((String) row.get("last_error"))
                .as("on main null")
                .isEqualTo("not sent: its lease ends before its send (PT2.5S) could; released for a fresh lease");
    }

    @Test
    void aLeaseIsReleasedOnlyUnderTheTokenStillHeld() {
        String teamId = tasks.dueTask(partner.url());
        long id = taskId(teamId);
        Map<String, Object> before = jdbc.queryForMap(
                "SELECT notify_status, notify_count, next_attempt_time, last_error FROM notify_task WHERE id = ?", id);
        Instant now = Instant.now();
        NotifyTaskVO stale = store.claim(id, "w", now, now.plusSeconds(1), false);
        leaseRanOut(id);
        NotifyTaskVO current = store.claim(id, "w", now, now.plusSeconds(60), false);

        assertThat(store.release(stale, "not sent: stale"))
                .as("a lease taken over is not released")
                .isFalse();
        assertThat(jdbc.queryForMap("SELECT claim_token, last_error FROM notify_task WHERE id = ?", id))
                .containsEntry("claim_token", current.getClaimToken())
                .containsEntry("last_error", before.get("last_error"));

        String tooLong = "not sent: " + "x".repeat(600);
        assertThat(store.release(current, tooLong)).isTrue();
        assertThat(jdbc.queryForMap(
                        "SELECT notify_status, notify_count, next_attempt_time FROM notify_task WHERE id = ?", id))
                .as("as before the claim")
                .isEqualTo(Map.of(
                        "notify_status", before.get("notify_status"),
                        "notify_count", before.get("notify_count"),
                        "next_attempt_time", before.get("next_attempt_time")));
        assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE id = ?", String.class, id))
                .as("why, cut to the stored length")
                .isEqualTo(tooLong.substring(0, 500));
        assertThat(jdbc.queryForMap("SELECT claimed_by, claim_token, claim_until FROM notify_task WHERE id = ?", id))
                .allSatisfy((column, value) -> assertThat(value).as(column).isNull());
        assertThat(store.release(current, "not sent: again"))
                .as("released once")
                .isFalse();
    }

    /** One lane, one HTTP send at a time, {@link #SHORT_LEASE}, {@link #SHORT_BUDGET}; a run of {@code runBudget}. */
    private DueCallbackDeliveryService shortLeaseService(Duration runBudget) {
        return new DueCallbackDeliveryService(
                store,
                gateway,
                new NotifyBackoff(List.of(Duration.ofSeconds(30)), 0, () -> 0.5),
                Clock.systemUTC(),
                "w",
                DeliverySettings.builder(SHORT_LEASE, 100, runBudget)
                        .sendWindow(SHORT_WINDOW)
                        .sendBudget(SHORT_BUDGET)
                        .build(),
                Runnable::run,
                new RunStop());
    }

    /** A completion body of exactly {@link #BIG_BYTES} bytes. */
    private static String bigBody(String teamId) {
        StringBuilder body = new StringBuilder(BIG_BYTES)
                .append("{\"teamId\":\"")
                .append(teamId)
                .append("\",\"outTradeNoList\":[\"");
        while (body.length() < BIG_BYTES - 3) {
            body.append('x');
        }
        return body.append("\"]}").toString();
    }
}
