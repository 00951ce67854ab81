package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.support.DeliveredTasks;
import com.groupbuy.market.support.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        long hourOld = DeliveredTasks.insert(jdbc, Instant.now().minus(1, ChronoUnit.HOURS));
        long yearOld = DeliveredTasks.insert(jdbc, Instant.now().minus(400, ChronoUnit.DAYS));

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

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
