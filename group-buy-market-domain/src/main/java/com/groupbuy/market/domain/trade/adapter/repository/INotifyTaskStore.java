package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;

import java.time.Instant;
import java.util.List;

/** The delivery side of the outbox: find due tasks, lease one, record an attempt's outcome. */
public interface INotifyTaskStore {

    /** A bounded page of due, unleased task ids in this shard (id mod total = index). */
    List<Long> dueTaskIds(Instant now, int shardIndex, int shardTotal, int limit);

    /** The team's tasks still owed (init or retry). */
    List<Long> pendingTaskIdsOfTeam(String teamId);

    /**
     * Leases the task to this worker until {@code leaseUntil}, or returns null when it is done, not due (unless
     * {@code ignoreSchedule}), or leased by another worker whose lease has not run out.
     */
    NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule);

    /** Records the attempt and the task's new state together, and releases the lease. */
    void finishAttempt(NotifyTaskVO task, String worker, Instant attemptTime, DeliveryResult result, int newStatus,
                       Instant nextAttemptTime);
}
