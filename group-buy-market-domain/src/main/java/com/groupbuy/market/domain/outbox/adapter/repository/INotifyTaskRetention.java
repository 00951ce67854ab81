package com.groupbuy.market.domain.outbox.adapter.repository;

import java.time.Instant;

/** Deleting what the outbox no longer owes anyone: delivered tasks and their attempt history. */
public interface INotifyTaskRetention {

    /**
     * Deletes up to {@code limit} delivered (SUCCESS) tasks delivered before {@code deliveredBefore}, oldest first,
     * with their attempts, in one short transaction; returns how many tasks went. Never touches a task in any other
     * state.
     */
    int deleteDeliveredBefore(Instant deliveredBefore, int limit);
}
