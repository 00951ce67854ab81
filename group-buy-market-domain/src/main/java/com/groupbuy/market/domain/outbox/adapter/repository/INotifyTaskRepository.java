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
     * Inserts every task as {@link #saveTask} does (idempotent on each task key) in a few statements, not one per task,
     * and returns their ids in the order given: for a writer owing many callbacks at once (a big team's expiry, one or
     * two per member) whose transaction holds locks others wait for.
     */
    List<Long> saveTasks(List<NotifyTaskEntity> tasks);

    /**
     * Inserts the task as {@link #saveTask} does, but already leased ({@code lease}): the writer's transaction is its
     * claim, so whoever holds the lease delivers it without claiming it first (#15 close checks). Returns the task as
     * its lease holder delivers it; null when the task key was taken (that task is not under this lease, the
     * compensation job delivers it).
     */
    NotifyTaskVO saveLeased(NotifyTaskEntity task, NotifyLease lease);

    /**
     * Inserts tasks whose keys are new (status INIT, count 0, due now) in one write, each under the lease at the same
     * index of {@code leases} as {@link #saveLeased} does, or unleased where that entry is null, and returns them in
     * the order given: each with its id, a leased one as its lease holder delivers it. Joins the caller's open
     * transaction. Not idempotent: a key that exists fails the whole write, for writers whose keys name rows they are
     * creating in the same transaction (the close checks of locks written together, #19).
     */
    List<NotifyTaskVO> saveNewTasks(List<NotifyTaskEntity> tasks, List<NotifyLease> leases);
}
