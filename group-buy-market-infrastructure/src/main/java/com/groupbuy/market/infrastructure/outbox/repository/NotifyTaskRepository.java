package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.ids.UniqueIds;
import com.groupbuy.market.infrastructure.mybatis.BatchInserts;
import com.groupbuy.market.infrastructure.mybatis.Chunks;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Repository;

/** The outbox write: a plain insert on the Spring-managed connection, so it joins the caller's transaction. */
@Repository
public class NotifyTaskRepository implements INotifyTaskRepository {

    /** The highest InnoDB auto-increment lock mode under which one statement's ids are consecutive. */
    private static final int CONSECUTIVE_LOCK_MODE = 1;
    /**
     * Tasks per statement of {@link #saveTasks}: a refund callback's row is under 1 KB, so a chunk stays far below
     * max_allowed_packet while a team of 10,000 members (20,000 callbacks) takes 40 chunks.
     */
    static final int SAVE_CHUNK = 500;

    private final INotifyTaskDao dao;
    private final BatchInserts batch;
    private final Clock clock;
    /** Whether a multi-row insert's generated keys can be trusted; read from the server on first use when null. */
    private volatile Boolean consecutiveIds;

    @Autowired
    public NotifyTaskRepository(INotifyTaskDao dao, BatchInserts batch, Clock clock) {
        this(dao, batch, clock, null);
    }

    /** {@code consecutiveIds} decided by the caller (a test of either way of learning the ids); null: ask the server. */
    public NotifyTaskRepository(INotifyTaskDao dao, BatchInserts batch, Clock clock, Boolean consecutiveIds) {
        this.dao = dao;
        this.batch = batch;
        this.clock = clock;
        this.consecutiveIds = consecutiveIds;
    }

    @Override
    public long saveTask(NotifyTaskEntity task) {
        NotifyTaskPO po = toRow(task);
        // The id is set only when this insert wrote the row (a taken key counts 1 found row too).
        if (dao.insertUnlessTaken(po) == 1 && po.getId() != null) {
            return po.getId();
        }
        // The key was taken (a retried event): the task already written is the one to name.
        return dao.queryIdByTaskKey(task.getTaskKey());
    }

    /**
     * Bounded multi-row inserts that skip a taken key (and fail on any other error), each followed by one read of its rows' ids by key (uq_task_key): the ids of a
     * skipped key (a task written before) are not in a statement's generated keys, and the read is right under any
     * auto-increment lock mode. Two statements per {@link #SAVE_CHUNK} tasks instead of one or two per task.
     */
    @Override
    public List<Long> saveTasks(List<NotifyTaskEntity> tasks) {
        List<Long> ids = new ArrayList<>(tasks.size());
        for (List<NotifyTaskEntity> chunk : Chunks.of(tasks, SAVE_CHUNK)) {
            List<NotifyTaskPO> rows = chunk.stream().map(this::toRow).toList();
            dao.insertAllUnlessTaken(rows);
            Map<String, Long> byKey = new HashMap<>();
            for (NotifyTaskPO row : dao.queryIdsByTaskKeys(
                    rows.stream().map(NotifyTaskPO::getTaskKey).toList())) {
                byKey.put(row.getTaskKey(), row.getId());
            }
            for (NotifyTaskEntity task : chunk) {
                Long id = byKey.get(task.getTaskKey());
                if (id == null) {
                    throw new IllegalStateException("task " + task.getTaskKey() + " neither written nor found");
                }
                ids.add(id);
            }
        }
        return ids;
    }

    @Override
    public NotifyTaskVO saveLeased(NotifyTaskEntity task, NotifyLease lease) {
        NotifyTaskPO po = toRow(task);
        po.setClaimedBy(lease.holder());
        po.setClaimToken(lease.token());
        po.setClaimMicros(leftOf(lease));
        if (dao.insertUnlessTaken(po) != 1 || po.getId() == null) {
            return null;
        }
        po.setNotifyCount(0); // the column's default: a new task has no attempt yet
        return NotifyTaskStore.toTask(po);
    }

    /**
     * One statement for all the rows, each with its lease or none: a JDBC batch of the single-row insert, which the
     * driver sends as one multi-row INSERT ({@link BatchInserts}). Their ids come from the driver's generated keys
     * where the server gives one statement consecutive ids (MariaDB's default lock mode 1), else from one read by key
     * in the same transaction (MySQL 8 defaults to mode 2, where concurrent inserts interleave ids).
     */
    @Override
    public List<NotifyTaskVO> saveNewTasks(List<NotifyTaskEntity> tasks, List<NotifyLease> leases) {
        if (tasks.size() != leases.size()) {
            throw new IllegalArgumentException(tasks.size() + " tasks but " + leases.size() + " leases");
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        List<NotifyTaskPO> rows = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            NotifyTaskPO row = toRow(tasks.get(i));
            NotifyLease lease = leases.get(i);
            if (lease != null) {
                row.setClaimedBy(lease.holder());
                row.setClaimToken(lease.token());
                row.setClaimMicros(leftOf(lease));
            }
            row.setNotifyCount(0); // the insert's value: a new task has no attempt yet
            rows.add(row);
        }
        INotifyTaskDao batched = batch.mapper(INotifyTaskDao.class);
        rows.forEach(batched::insertNew);
        int inserted = batch.flush();
        if (inserted != rows.size()) {
            throw new IllegalStateException("a batch of " + rows.size() + " tasks wrote " + inserted + " rows");
        }
        if (!consecutiveIds()) {
            Map<String, Long> ids = new HashMap<>();
            for (NotifyTaskPO row : dao.queryIdsByTaskKeys(
                    rows.stream().map(NotifyTaskPO::getTaskKey).toList())) {
                ids.put(row.getTaskKey(), row.getId());
            }
            rows.forEach(row -> row.setId(ids.get(row.getTaskKey())));
        }
        return rows.stream().map(NotifyTaskStore::toTask).toList();
    }

    private boolean consecutiveIds() {
        Boolean known = consecutiveIds;
        if (known == null) {
            Integer mode;
            try {
                mode = dao.autoIncrementLockMode();
            } catch (DataAccessException e) {
                mode = null; // not InnoDB's variable on this server: read the ids back
            }
            known = mode != null && mode <= CONSECUTIVE_LOCK_MODE;
            consecutiveIds = known;
        }
        return known;
    }

    /**
     * What is left of the lease by this instance's clock (which set its end): the database adds it to its own clock,
     * the one every lease is judged on, so an instance ahead or behind leases for as long as any other.
     */
    private long leftOf(NotifyLease lease) {
        return ChronoUnit.MICROS.between(clock.instant(), lease.until());
    }

    private NotifyTaskPO toRow(NotifyTaskEntity task) {
        NotifyTaskPO po = new NotifyTaskPO();
        po.setTaskKey(task.getTaskKey());
        po.setWebhookId("msg_" + UniqueIds.hex32());
        po.setActivityId(task.getActivityId());
        po.setTeamId(task.getTeamId());
        po.setSource(task.getSource());
        po.setChannel(task.getChannel());
        po.setNotifyCategory(task.getNotifyCategory());
        po.setNotifyType(task.getNotifyType());
        po.setNotifyMq(task.getNotifyMq());
        po.setNotifyUrl(task.getNotifyUrl());
        po.setBody(task.getBody());
        po.setNotifyStatus(NotifyTaskStatus.INIT.code());
        po.setNextAttemptTime(Instant.now(clock));
        return po;
    }
}
