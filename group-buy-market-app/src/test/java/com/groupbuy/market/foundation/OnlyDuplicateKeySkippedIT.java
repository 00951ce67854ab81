package com.groupbuy.market.foundation;

import static com.groupbuy.market.foundation.HttpTaskEntities.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import com.groupbuy.market.infrastructure.trade.dao.IConsumptionRecordDao;
import com.groupbuy.market.infrastructure.trade.po.ConsumptionRecordPO;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent writes (the callback outbox, consumption records, crowd user positions) skip a row whose unique key is
 * taken, and only that: a value too long for its column, or a NULL for a NOT NULL column, fails the write (and the
 * transaction that owes it), on the real MariaDB under the server's strict sql_mode.
 * <p>
 * Proved to fail on main, whose writes were {@code INSERT IGNORE} (every error a warning): the 513-character callback
 * URL (notify_url is VARCHAR(512)) was stored cut to 512 by saveTask, saveTasks and saveLeased, the transaction
 * committed; a task without its activity id was stored with activity_id 0; a 129-character routing key was stored cut
 * in the consumption record (open and openStarted); a 33-character user id was given a position under its first 32
 * characters, and the call answered as if the user had none. The duplicate cases passed on main and pass now; a
 * consumption record's "already there" is told by the generated id, not the row count (a taken key counts 1 found row,
 * so with the count alone a redelivery was answered a fresh record: aConsumptionRecordAlreadyThereIsStillReadNotWrittenAgain).
 */
@SharedContextIntegrationTest
class OnlyDuplicateKeySkippedIT {

    /** One more than notify_task.notify_url holds (VARCHAR(512)). */
    private static final String URL_TOO_LONG = "http://partner.example/" + "u".repeat(490);
    /** One more than notify_task.notify_mq holds (VARCHAR(64)). */
    private static final String MQ_TOO_LONG = "k".repeat(65);
    /** One more than mq_consumption_record.routing_key holds (VARCHAR(128)). */
    private static final String ROUTING_KEY_TOO_LONG = "r".repeat(129);
    /** One more than crowd_user_index.user_id holds (VARCHAR(32)). */
    private static final String USER_ID_TOO_LONG = "u".repeat(33);

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    INotifyTaskRepository outbox;

    @Autowired
    IConsumptionRecordRepository records;

    @Autowired
    IUserBitIndexRepository positions;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    IConsumptionRecordDao recordDao;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTaskWhoseUrlIsTooLongFailsSaveTaskAndRollsBackTheTransactionThatOwesIt() {
        String owed = key();
        String tooLong = key();
        assertThat(URL_TOO_LONG).hasSize(513);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    outbox.saveTask(task(owed, "http://partner.example/cb"));
                    outbox.saveTask(task(tooLong, URL_TOO_LONG));
                }))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("notify_url");

        assertThat(taskRows(owed)).isZero();
        assertThat(taskRows(tooLong)).isZero();
    }

    @Test
    void aTaskWithoutItsActivityIdFailsSaveTask() {
        String key = key();
        NotifyTaskEntity task = task(key, "http://partner.example/cb");
        task.setActivityId(null);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> outbox.saveTask(task)))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("activity_id");

        assertThat(taskRows(key)).isZero();
    }

    @Test
    void oneTaskWhoseUrlIsTooLongFailsSaveTasksWhole() {
        List<String> keys = List.of(key(), key(), key());

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> outbox.saveTasks(List.of(
                        task(keys.get(0), "http://partner.example/cb"),
                        task(keys.get(1), URL_TOO_LONG),
                        task(keys.get(2), "http://partner.example/cb")))))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("notify_url");

        keys.forEach(key -> assertThat(taskRows(key)).as(key).isZero());
    }

    @Test
    void aLeasedTaskWhoseUrlOrRoutingKeyIsTooLongFailsSaveLeased() {
        String longUrl = key();
        String longMq = key();
        NotifyTaskEntity mq = task(longMq, null);
        mq.setNotifyType("MQ");
        mq.setNotifyMq(MQ_TOO_LONG);

        assertThatThrownBy(() -> transaction.executeWithoutResult(
                        status -> outbox.saveLeased(task(longUrl, URL_TOO_LONG), lease())))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("notify_url");
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> outbox.saveLeased(mq, lease())))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("notify_mq");

        assertThat(taskRows(longUrl)).isZero();
        assertThat(taskRows(longMq)).isZero();
    }

    @Test
    void aTakenTaskKeyIsStillSkippedAndNamesTheTaskWrittenFirst() {
        String key = key();
        long first = transaction.execute(status -> outbox.saveTask(task(key, "http://partner.example/first")));

        // Each writer of a taken key gets the first task's id (saveTask, saveTasks) or none (saveLeased: not its
        // lease).
        Long again = transaction.execute(status -> outbox.saveTask(task(key, "http://partner.example/again")));
        assertThat(again).isEqualTo(first);
        String fresh = key();
        List<Long> ids = transaction.execute(status -> outbox.saveTasks(
                List.of(task(fresh, "http://partner.example/cb"), task(key, "http://partner.example/again"))));
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).isEqualTo(first);
        assertThat(ids.get(0)).isNotEqualTo(first).isEqualTo(taskId(fresh));
        NotifyTaskVO taken =
                transaction.execute(status -> outbox.saveLeased(task(key, "http://partner.example/again"), lease()));
        assertThat(taken).isNull();

        assertThat(taskRows(key)).isEqualTo(1);
        assertThat(jdbc.queryForMap("SELECT id, notify_url, claim_token FROM notify_task WHERE task_key = ?", key))
                .containsEntry("notify_url", "http://partner.example/first")
                .containsEntry("claim_token", null);
        assertThat(taskId(key)).isEqualTo(first);

        // A new leased task names its own row.
        String leased = key();
        NotifyTaskVO written =
                transaction.execute(status -> outbox.saveLeased(task(leased, "http://partner.example/cb"), lease()));
        assertThat(written).isNotNull();
        assertThat(written.getId()).isEqualTo(taskId(leased));
    }

    /**
     * What the callers rely on to tell an insert from a taken key: Connector/J asks for found rows, so a taken key's
     * no-op update counts 1 row like an insert (not 0), and only a written row brings back a generated id.
     */
    @Test
    void aTakenKeyCountsOneRowButBringsBackNoId() {
        NotifyTaskPO task = taskRow(key());
        assertThat(taskDao.insertUnlessTaken(task)).isEqualTo(1);
        assertThat(task.getId()).isEqualTo(taskId(task.getTaskKey()));
        NotifyTaskPO again = taskRow(task.getTaskKey());
        assertThat(taskDao.insertUnlessTaken(again)).isEqualTo(1);
        assertThat(again.getId()).isNull();

        ConsumptionRecordPO record = new ConsumptionRecordPO();
        record.setConsumer("strict-it");
        record.setMessageId("msg_" + UUID.randomUUID());
        record.setStatus(0);
        assertThat(recordDao.insertUnlessTaken(record)).isEqualTo(1);
        assertThat(record.getId()).isNotNull();
        record.setId(null);
        assertThat(recordDao.insertStartedUnlessTaken(record)).isEqualTo(1);
        assertThat(record.getId()).isNull();
    }

    @Test
    void aConsumptionRecordWhoseRoutingKeyIsTooLongIsNotOpened() {
        String opened = "msg_" + UUID.randomUUID();
        String started = "msg_" + UUID.randomUUID();

        assertThatThrownBy(() -> records.open("strict-it", opened, ROUTING_KEY_TOO_LONG, "{}"))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("routing_key");
        assertThatThrownBy(() -> records.openStarted("strict-it", started, ROUTING_KEY_TOO_LONG, "{}"))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("routing_key");

        assertThat(recordRows(opened)).isZero();
        assertThat(recordRows(started)).isZero();
    }

    @Test
    void aConsumptionRecordAlreadyThereIsStillReadNotWrittenAgain() {
        String messageId = "msg_" + UUID.randomUUID();
        ConsumptionRecordVO first = records.open("strict-it", messageId, "rk", "{}");
        assertThat(first.attempts()).isZero();
        assertThat(records.startAttempt("strict-it", messageId, first.version()))
                .isTrue();

        // The redelivery finds the record as the first delivery left it: one attempt started, at version 1.
        ConsumptionRecordVO again = records.open("strict-it", messageId, "rk", "{\"again\":1}");
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.body()).isEqualTo("{}");
        assertThat(records.openStarted("strict-it", messageId, "rk", "{}")).isFalse();

        String startedId = "msg_" + UUID.randomUUID();
        assertThat(records.openStarted("strict-it", startedId, "rk", "{}")).isTrue();
        assertThat(records.openStarted("strict-it", startedId, "rk", "{}")).isFalse();
        assertThat(recordRows(messageId)).isEqualTo(1);
        assertThat(recordRows(startedId)).isEqualTo(1);
    }

    @Test
    void aUserIdTooLongForTheIndexGetsNoPositionUnderAShorterId() {
        String source = "s" + SEQ.incrementAndGet();
        PartnerUserVO tooLong = new PartnerUserVO(source, "c01", USER_ID_TOO_LONG);
        PartnerUserVO fine = new PartnerUserVO(source, "c01", "user-fine");

        assertThatThrownBy(() -> positions.assign(List.of(fine, tooLong))).isInstanceOf(DataAccessException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM crowd_user_index WHERE source = ?", Integer.class, source))
                .isZero();

        // A user given a position keeps it; assigning again skips the taken key.
        Map<PartnerUserVO, Long> given = positions.assign(List.of(fine));
        assertThat(positions.assign(List.of(fine, new PartnerUserVO(source, "c01", "user-next"))))
                .containsEntry(fine, given.get(fine))
                .hasSize(2);
    }

    private String key() {
        return "strict:" + SEQ.incrementAndGet() + ":" + UUID.randomUUID();
    }

    private static NotifyTaskPO taskRow(String key) {
        NotifyTaskPO po = new NotifyTaskPO();
        po.setTaskKey(key);
        po.setWebhookId("msg_" + UUID.randomUUID().toString().replace("-", ""));
        po.setActivityId(1L);
        po.setTeamId("00000001");
        po.setSource("s01");
        po.setChannel("c01");
        po.setNotifyCategory("trade_settlement");
        po.setNotifyType("HTTP");
        po.setNotifyUrl("http://partner.example/cb");
        po.setNotifyStatus(0);
        po.setBody("{}");
        po.setNextAttemptTime(Instant.now());
        return po;
    }

    private static NotifyLease lease() {
        return new NotifyLease(
                "strict-it", UUID.randomUUID().toString(), Instant.now().plusSeconds(60));
    }

    private int taskRows(String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE task_key = ?", Integer.class, key);
    }

    private Long taskId(String key) {
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE task_key = ?", Long.class, key);
    }

    private int recordRows(String messageId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM mq_consumption_record WHERE message_id = ?", Integer.class, messageId);
    }
}
