package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Retention against the real outbox: delivered tasks past the age go with their attempts, in small batches; young
 * delivered tasks and every task still owed or failed stay, whatever their age.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.retention.age=7d", "gbm.notify.retention.batch-size=2"})
class NotifyRetentionIT {

    private static final int INIT = 0, SUCCESS = 1, RETRY = 2, FAIL = 3;
    /** {@code mq_consumption_record.status}. */
    private static final int PROCESSING = 0, SUCCEEDED = 1, FAILED = 2;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NotifyRetentionService retention;

    @Test
    void onlyDeliveredTasksPastTheAgeAreDeletedWithTheirAttempts() {
        Instant now = Instant.now();
        Duration old = Duration.ofDays(8);
        Duration young = Duration.ofDays(6);
        List<Long> oldDelivered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            oldDelivered.add(task(SUCCESS, now.minus(old).minusSeconds(i), 2));
        }
        List<Long> kept = new ArrayList<>(List.of(
                task(SUCCESS, now.minus(young), 1),
                task(INIT, now.minus(old), 0),
                task(RETRY, now.minus(old), 3),
                task(FAIL, now.minus(old), 16),
                task(INIT, now.minus(young), 0),
                task(RETRY, now.minus(young), 1),
                task(FAIL, now.minus(young), 16)));

        NotifyRetentionSummary run = retention.execRetention();

        assertThat(run.deletedTasks()).isEqualTo(5);
        assertThat(run.batches()).as("batches of 2: 2 + 2 + 1").isEqualTo(3);
        assertThat(run.budgetSpent()).isFalse();
        for (long id : oldDelivered) {
            assertThat(count("SELECT COUNT(*) FROM notify_task WHERE id = ?", id))
                    .isZero();
            assertThat(count("SELECT COUNT(*) FROM notify_attempt WHERE task_id = ?", id))
                    .isZero();
        }
        for (long id : kept) {
            assertThat(count("SELECT COUNT(*) FROM notify_task WHERE id = ?", id))
                    .as("task %d stays", id)
                    .isOne();
        }
        assertThat(count("SELECT COUNT(*) FROM notify_attempt WHERE task_id IN (" + ids(kept) + ")"))
                .as("attempts of kept tasks stay")
                .isEqualTo(1 + 3 + 16 + 1 + 16);

        NotifyRetentionSummary again = retention.execRetention();
        assertThat(again.deletedTasks()).isZero();
        assertThat(again.batches()).isOne();
    }

    /**
     * Our consumers' records of messages (a close check per lock, a refund event per refund) went nowhere: nothing
     * deleted them, so the table grew by a row per order for good. Now those that succeeded before the age go with the
     * delivered tasks; young ones, and processing or failed ones of any age (an operator re-drives a failed message by
     * deleting its record), stay.
     */
    @Test
    void consumptionRecordsThatSucceededBeforeTheAgeAreDeleted() {
        Instant now = Instant.now();
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(record(SUCCEEDED, now.minus(Duration.ofDays(8)).minusSeconds(i)));
        }
        List<String> kept = List.of(
                record(SUCCEEDED, now.minus(Duration.ofDays(6))),
                record(PROCESSING, now.minus(Duration.ofDays(8))),
                record(FAILED, now.minus(Duration.ofDays(8))),
                record(PROCESSING, now),
                record(FAILED, now));

        NotifyRetentionSummary run = retention.execRetention();

        assertThat(run.deletedRecords()).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM mq_consumption_record WHERE message_id IN (" + quoted(old) + ")"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM mq_consumption_record WHERE message_id IN (" + quoted(kept) + ")"))
                .isEqualTo(kept.size());
        assertThat(retention.execRetention().deletedRecords()).isZero();
    }

    /** A consumption record in this state (0 processing, 1 success, 2 fail) last changed at {@code changed}. */
    private String record(int status, Instant changed) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.update(
                "INSERT INTO mq_consumption_record (consumer, message_id, routing_key, body, status, attempts, "
                        + "version, create_time, update_time) VALUES ('close_check', ?, 'k', '{}', ?, 1, 2, ?, ?)",
                id,
                status,
                Timestamp.from(changed),
                Timestamp.from(changed));
        return id;
    }

    private static String quoted(List<String> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }

    /** A task in this state whose last attempt (the delivering one, for SUCCESS) was at {@code lastAttempt}. */
    private long task(int status, Instant lastAttempt, int attempts) {
        String key = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'HTTP', "
                        + "'http://127.0.0.1:1/cb', ?, ?, '{}', ?)",
                key,
                "msg_" + key,
                key.substring(0, 8),
                attempts,
                status,
                Timestamp.from(lastAttempt));
        long id = jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key);
        for (int n = 1; n <= attempts; n++) {
            jdbc.update(
                    "INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, "
                            + "success, error) VALUES (?, ?, ?, 200, 1, ?, NULL)",
                    id,
                    n,
                    Timestamp.from(lastAttempt.minusSeconds(attempts - n)),
                    n == attempts && status == SUCCESS);
        }
        return id;
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    private static String ids(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }
}
