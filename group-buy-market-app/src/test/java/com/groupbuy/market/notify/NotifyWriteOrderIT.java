package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliverNowResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.model.valobj.RetryFilter;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox's writers of several tasks against each other on the real MariaDB: a compensation run recording a page of
 * outcomes, and the operator's "deliver now". Each deadlock or lock wait is built step by step: a test transaction
 * holds one task of the page, so the page's write stops half way (seen in information_schema), and the other writer
 * runs meanwhile.
 * <p>
 * Proved to fail on main: "deliver now" (one UPDATE ... LIMIT over idx_status_next under REPEATABLE READ) waited for the
 * half-written page (it reached the index entry the page had just written) while holding the gap the page's next task
 * goes into: still waiting after 10 s, and once the page went on, InnoDB rolled the page back as the deadlock's
 * lighter victim; and a page chosen as a deadlock's victim was thrown (DeadlockLoserDataAccessException), its
 * delivered callbacks left leased, to be sent again once their leases ended.
 */
@SharedContextIntegrationTest
class NotifyWriteOrderIT {

    private static final String TOKEN = "notify-write-order-token";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyTaskOperations operations;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private int teams;

    @BeforeEach
    void clean() {
        // Earlier tests' tasks are done and hold no lease; the delivered rows are the bulk an outbox holds, so the
        // optimizer reads a status's range of idx_status_next as it does in production.
        jdbc.update(
                "UPDATE notify_task SET notify_status = 1, claimed_by = NULL, claim_token = NULL, claim_until = NULL");
        if (jdbc.queryForObject("SELECT COUNT(*) FROM notify_task", Long.class) < 3000) {
            jdbc.update("INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                    + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                    + "next_attempt_time) SELECT CONCAT('done:', seq), CONCAT('msg_done_', seq), 1, LPAD(seq, 8, '9'), "
                    + "'s01', 'c01', 'trade_settlement', 'HTTP', 'http://127.0.0.1:1/cb', 1, 1, '{}', "
                    + "NOW(3) - INTERVAL seq SECOND FROM seq_1_to_3000");
            jdbc.execute("ANALYZE TABLE notify_task");
        }
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * A run records a page of two failed attempts (RETRY later; the page's first task retries after the second, as
     * the backoff's jitter does; their errors differ, so the page is written task by task, each UPDATE in turn) while the operator makes waiting retries due now. Deliver now must neither wait for
     * the page nor make it a deadlock's victim: both end, every outcome is recorded, every waiting retry moved.
     */
    @Test
    void deliverNowNeitherWaitsForNorDeadlocksAPageOfRetries() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long first = leasedTask(now.minusSeconds(1));
        long second = leasedTask(now.minusSeconds(1));
        for (int i = 1; i <= 5; i++) {
            waitingRetry(now.plus(Duration.ofMinutes(60)).plusSeconds(i));
        }
        List<NotifyAttemptOutcome> page = List.of(
                failed(first, now, now.plus(Duration.ofMinutes(120)), "HTTP 503"),
                failed(second, now, now.plus(Duration.ofMinutes(30)), "HTTP 500"));

        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc)) {
            other.lock("SELECT id FROM notify_task WHERE id = ? FOR UPDATE", second);
            Future<NotifyRunSummary> recorded = pool.submit(() -> notifyService.recordAttempts(page));
            other.awaitWaiter(); // the page wrote its first task and waits for the second
            Future<DeliverNowResult> moved = pool.submit(() -> operations.deliverNow(RetryFilter.all()));

            DeliverNowResult result = moved.get(10, TimeUnit.SECONDS);
            assertThat(result.moved()).as("every waiting retry moved").isEqualTo(5);

            other.rollback();
            NotifyRunSummary summary = recorded.get(30, TimeUnit.SECONDS);
            assertThat(summary.retried()).isEqualTo(2);
        }
        assertRecorded(first, NotifyTaskStatus.RETRY);
        assertRecorded(second, NotifyTaskStatus.RETRY);
    }

    /**
     * A page InnoDB rolls back as a deadlock's victim (here against a heavier transaction that takes the page's two
     * tasks in the other order) is written again: its outcomes are recorded, not thrown, so its delivered callbacks
     * are not sent a second time when their leases end.
     */
    @Test
    void aPageChosenAsADeadlocksVictimIsWrittenAgain() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long first = leasedTask(now.minusSeconds(1));
        long second = leasedTask(now.minusSeconds(1));
        List<NotifyAttemptOutcome> page = List.of(delivered(first, now), delivered(second, now));

        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc).heavy()) {
            other.lock("SELECT id FROM notify_task WHERE id = ? FOR UPDATE", second);
            Future<NotifyRunSummary> recorded = pool.submit(() -> notifyService.recordAttempts(page));
            other.awaitWaiter(); // the page holds its first task and waits for the second
            // The deadlock: the page, lighter, is rolled back and this goes on.
            other.lock("SELECT id FROM notify_task WHERE id = ? FOR UPDATE", first);
            other.rollback();
            NotifyRunSummary summary = recorded.get(30, TimeUnit.SECONDS);
            assertThat(summary.delivered()).isEqualTo(2);
        }
        assertRecorded(first, NotifyTaskStatus.SUCCESS);
        assertRecorded(second, NotifyTaskStatus.SUCCESS);
    }

    private void assertRecorded(long id, NotifyTaskStatus status) {
        Map<String, Object> row =
                jdbc.queryForMap("SELECT notify_status, notify_count, claim_token FROM notify_task WHERE id = ?", id);
        assertThat(row)
                .as("task %d", id)
                .containsEntry("notify_status", status.code())
                .containsEntry("notify_count", 2)
                .containsEntry("claim_token", null);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt WHERE task_id = ? AND attempt_no = 2", Integer.class, id))
                .as("task %d's attempt row", id)
                .isEqualTo(1);
    }

    /** A RETRY task (one attempt made) due at {@code due} and leased now under {@link #TOKEN}, as a run's claim. */
    private long leasedTask(Instant due) {
        String team = team();
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time, "
                        + "claimed_by, claim_token, claim_until) "
                        + "VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'HTTP', 'http://127.0.0.1:1/cb', 1, 2, "
                        + "'{}', ?, 'it', ?, ?)",
                team + ":trade_settlement",
                "msg_" + team,
                team,
                Timestamp.from(due),
                TOKEN,
                Timestamp.from(Instant.now().plus(Duration.ofMinutes(10))));
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, team);
    }

    /** A RETRY task waiting for its next attempt at {@code next}, not leased. */
    private void waitingRetry(Instant next) {
        String team = team();
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time) "
                        + "VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'HTTP', 'http://127.0.0.1:1/cb', 1, 2, "
                        + "'{}', ?)",
                team + ":trade_settlement",
                "msg_" + team,
                team,
                Timestamp.from(next));
    }

    private String team() {
        return String.format("7%07d", (System.nanoTime() / 1000 + ++teams) % 10_000_000);
    }

    private static NotifyTaskVO leased(long id) {
        return NotifyTaskVO.builder()
                .id(id)
                .teamId("t" + id)
                .notifyType("HTTP")
                .notifyCount(1)
                .claimToken(TOKEN)
                .build();
    }

    private static NotifyAttemptOutcome failed(long id, Instant at, Instant next, String error) {
        return new NotifyAttemptOutcome(
                leased(id), at, new DeliveryResult(false, 503, 5, error), NotifyTaskStatus.RETRY, next);
    }

    private static NotifyAttemptOutcome delivered(long id, Instant at) {
        return new NotifyAttemptOutcome(
                leased(id), at, new DeliveryResult(true, 200, 5, null), NotifyTaskStatus.SUCCESS, at);
    }
}
