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
}
