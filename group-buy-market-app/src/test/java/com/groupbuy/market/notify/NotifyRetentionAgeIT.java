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
 * The retention age as an operator writes it: a bare number is days ({@code gbm.notify.retention.age=7}, as in "keep
 * seven days"). Before, Spring read a bare number as milliseconds, so that setting deleted every delivered callback
 * and its attempt history at the next run, an hour after its delivery at most.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.notify.retention.age=7")
class NotifyRetentionAgeIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NotifyRetentionService retention;

    @Test
    void aBareNumberIsDaysSoADeliveryOfAnHourAgoIsKept() {
        long hourOld = DeliveredTasks.insert(jdbc, Instant.now().minus(1, ChronoUnit.HOURS));
        long monthOld = DeliveredTasks.insert(jdbc, Instant.now().minus(30, ChronoUnit.DAYS));

        NotifyRetentionSummary run = retention.execRetention();

        assertThat(count("SELECT COUNT(*) FROM notify_task WHERE id = ?", hourOld))
                .as("delivered an hour ago, kept for 7 days")
                .isOne();
        assertThat(count("SELECT COUNT(*) FROM notify_attempt WHERE task_id = ?", hourOld))
                .isOne();
        assertThat(count("SELECT COUNT(*) FROM notify_task WHERE id = ?", monthOld))
                .as("delivered 30 days ago")
                .isZero();
        assertThat(run.deletedTasks()).isOne();
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
