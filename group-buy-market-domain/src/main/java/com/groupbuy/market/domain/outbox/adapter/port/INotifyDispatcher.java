package com.groupbuy.market.domain.outbox.adapter.port;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
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

    /**
     * The lease a lock writes its close checks under (#15), so they need no claim of their own and the compensation
     * job leaves them to the relay that holds it; null (the default): they are written unleased and handed over by id
     * ({@link #dispatchCloseChecks}). Asked before the lock's transaction.
     */
    default NotifyLease closeCheckLease() {
        return null;
    }

    /**
     * Hands over close checks written under {@link #closeCheckLease()} (after commit), to be published as they are.
     * The default never gets any (it gives no lease).
     */
    default void dispatchLeasedCloseChecks(List<NotifyTaskVO> checks, NotifyLease lease) {}

    /**
     * The lease a completing settlement writes its team's callback under (#19), so the delivery right after commit
     * needs no claim (an UPDATE and a read of the row back) of its own; null (the default, or while the dispatch pool
     * is full): the callback is written unleased and handed over by id ({@link #dispatchAsync}). Asked before the
     * settlement's transaction. Never lost either way: a leased task nobody delivered is the compensation job's once
     * the lease ends.
     */
    default NotifyLease callbackLease() {
        return null;
    }

    /**
     * Hands over a callback written under {@link #callbackLease()} (after commit), to be delivered as it was written.
     * The default never gets any (it gives no lease).
     */
    default void dispatchLeased(NotifyTaskVO task, NotifyLease lease) {}
}
