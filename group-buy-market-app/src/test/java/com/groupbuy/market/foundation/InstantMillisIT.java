package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Times the app writes through its own mappers keep their milliseconds on the real MariaDB (Connector/J alone cuts
 * Timestamp/Instant parameters to whole seconds there: UtcInstantTypeHandler), and a comparison against such a
 * time is exact to the millisecond.
 */
@SharedContextIntegrationTest
class InstantMillisIT {

    private static final List<Integer> PENDING =
            NotifyTaskStatus.pending().stream().map(NotifyTaskStatus::code).toList();

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    INotifyTaskDao dao;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTimeWrittenThroughTheMapperKeepsItsMillisecondsAndReadsBackEqual() {
        Instant due = Instant.parse("2026-12-01T04:52:41.196Z");
        long id = insertTask(due);

        assertThat(jdbc.queryForObject(
                        "SELECT DATE_FORMAT(next_attempt_time, '%Y-%m-%d %H:%i:%s.%f') FROM notify_task "
                                + "WHERE id = ?",
                        String.class, id))
                .isEqualTo("2026-12-01 04:52:41.196000");
        assertThat(dao.queryById(id).getNextAttemptTime()).isEqualTo(due);

        // A lease end (the database's clock plus a length the UPDATE is given) reads back in whole milliseconds.
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(dao.claim(id, "w", UUID.randomUUID().toString(), due, 1_791_654L, false, PENDING))
                .isEqualTo(1);
        Instant leaseEnd = dao.queryById(id).getClaimUntil();
        assertThat(leaseEnd).isEqualTo(leaseEnd.truncatedTo(ChronoUnit.MILLIS));
        assertThat(leaseEnd).isBetween(before.plusMillis(1_790), Instant.now().plusMillis(1_792));
    }

    @Test
    void aTaskMadeDue300MsAheadIsNotClaimableBeforeThenAndIsRightAfter() {
        // Both instants in one second: with whole seconds they would compare equal and the early claim would win.
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(5);
        Instant now = second.plusMillis(200);
        Instant due = now.plusMillis(300);
        long id = insertTask(due);

        assertThat(dao.claim(id, "w", UUID.randomUUID().toString(), now, 30_000_000L, false, PENDING))
                .as("claimed 300 ms before it is due")
                .isZero();
        assertThat(dao.claim(id, "w", UUID.randomUUID().toString(), due.minusMillis(1), 30_000_000L, false, PENDING))
                .as("claimed 1 ms before it is due")
                .isZero();
        assertThat(dao.claim(id, "w", UUID.randomUUID().toString(), due, 30_000_000L, false, PENDING))
                .as("claimed when due")
                .isEqualTo(1);
    }

    private long insertTask(Instant due) {
        String teamId = String.format("ms%06d", SEQ.incrementAndGet());
        NotifyTaskPO task = new NotifyTaskPO();
        task.setTaskKey(teamId + ":trade_settlement");
        task.setWebhookId("msg_" + teamId);
        task.setActivityId(1L);
        task.setTeamId(teamId);
        task.setSource("s01");
        task.setChannel("c01");
        task.setNotifyCategory("trade_settlement");
        task.setNotifyType("HTTP");
        task.setNotifyUrl("http://partner.example/callback");
        task.setNotifyStatus(NotifyTaskStatus.INIT.code());
        task.setBody("{}");
        task.setNextAttemptTime(due);
        assertThat(dao.insertUnlessTaken(task)).isEqualTo(1);
        return dao.queryIdByTaskKey(task.getTaskKey());
    }
}
