package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;

import java.time.Instant;

/**
 * Puts a leased task back unsent (#17): the endpoint's breaker or bulkhead refused the call, so no attempt is
 * recorded and the try count is unchanged. Like finishing an attempt, only the holder of the task's current claim
 * token may do it.
 */
public interface INotifyTaskDeferral {

    /** RETRY at {@code until} with {@code reason} as last error, lease released; false when the lease was lost. */
    boolean defer(NotifyTaskVO task, Instant until, String reason);
}
