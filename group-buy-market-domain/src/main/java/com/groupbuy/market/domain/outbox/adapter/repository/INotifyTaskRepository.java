package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;

/**
 * The callback outbox. {@link #saveTask} joins the caller's open transaction, so a business change and the task it
 * owes commit together or not at all; a second save of the same task key is a no-op that returns the existing id.
 */
public interface INotifyTaskRepository {

    /** Inserts the task (status INIT, count 0, due now) and returns its id; idempotent on the task key. */
    long saveTask(NotifyTaskEntity task);
}
