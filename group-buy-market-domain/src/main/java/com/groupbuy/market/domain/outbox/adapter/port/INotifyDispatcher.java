package com.groupbuy.market.domain.outbox.adapter.port;

import java.util.List;

/**
 * Hands committed tasks to delivery without making the caller wait for the partner. Call it only after the
 * transaction that wrote the task has committed; if the hand-off is lost, the compensation job still delivers.
 */
public interface INotifyDispatcher {

    void dispatchAsync(long taskId);

    /**
     * Hands over a lock's close checks (#15) to be published in batches with other locks' checks, off the caller's
     * thread: the caller only queues them. By default each goes its own way, as {@link #dispatchAsync} does.
     */
    default void dispatchCloseChecks(List<Long> taskIds) {
        taskIds.forEach(this::dispatchAsync);
    }
}
