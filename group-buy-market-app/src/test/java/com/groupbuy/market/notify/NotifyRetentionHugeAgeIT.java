package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * No setting deletes data, a huge one included: {@code gbm.notify.retention.age=3650000d} ("keep ten thousand years",
 * an operator's "for ever") must keep every delivered callback. Before, the run's cutoff (now minus the age, a time in
 * the year -7967) was bound as the database text of its year of the era, {@code 7968-...}, and MariaDB deleted every
 * task delivered before the year 7968, with its attempts: all of them.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.notify.retention.age=3650000d")
class NotifyRetentionHugeAgeIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NotifyRetentionService retention;

    @Test
    void anAgeOfTenThousandYearsKeepsEveryDeliveredCallback() {
        long hourOld = delivered(Instant.now().minus(1, ChronoUnit.HOURS));
        long yearOld = delivered(Instant.now().minus(400, ChronoUnit.DAYS));

        NotifyRetentionSummary run = retention.execRetention();

        for (long id : new long[] {hourOld, yearOld}) {
            assertThat(count("SELECT COUNT(*) FROM notify_task WHERE id = ?", id))
                    .as("delivered task %d, kept for ten thousand years", id)
                    .isOne();
            assertThat(count("SELECT COUNT(*) FROM notify_attempt WHERE task_id = ?", id))
                    .as("its delivering attempt")
                    .isOne();
        }
        assertThat(run.deletedTasks()).isZero();
    }

    /** A delivered task whose delivering attempt was at {@code at}, with that attempt. */
    private long delivered(Instant at) {
        String key = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'HTTP', "
                        + "'http://127.0.0.1:1/cb', 1, 1, '{}', ?)",
                key,
                "msg_" + key,
                key.substring(0, 8),
                Timestamp.from(at));
        long id = jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key);
        jdbc.update(
                "INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, error)"
                        + " VALUES (?, 1, ?, 200, 1, 1, NULL)",
                id,
                Timestamp.from(at));
        return id;
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
