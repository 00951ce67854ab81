package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.util.List;

/**
 * The callback outbox. {@link #saveTask} joins the caller's open transaction, so a business change and the task it
 * owes commit together or not at all; a second save of the same task key is a no-op that returns the existing id.
 */
public interface INotifyTaskRepository {

    /** Inserts the task (status INIT, count 0, due now) and returns its id; idempotent on the task key. */
    long saveTask(NotifyTaskEntity task);

    /**
     * Inserts the task as {@link #saveTask} does, but already leased ({@code lease}): the writer's transaction is its
     * claim, so whoever holds the lease delivers it without claiming it first (#15 close checks). Returns the task as
     * its lease holder delivers it; null when the task key was taken (that task is not under this lease, the
     * compensation job delivers it).
     */
    NotifyTaskVO saveLeased(NotifyTaskEntity task, NotifyLease lease);

    /**
     * Inserts tasks whose keys are new (status INIT, count 0, due now) in one write and returns their ids in the
     * order given; joins the caller's open transaction. Not idempotent: a key that exists fails the whole write, for
     * writers whose keys name rows they are creating in the same transaction (a lock's close checks).
     */
    List<Long> saveNewTasks(List<NotifyTaskEntity> tasks);
}
