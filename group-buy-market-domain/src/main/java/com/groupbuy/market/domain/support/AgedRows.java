package com.groupbuy.market.domain.support;

import java.time.Instant;

/**
 * Rows a retention run deletes by age, a batch per call: what one context hands another's run without the run knowing
 * its types (the outbox's retention deletes the trade consumers' spent consumption records too).
 */
@FunctionalInterface
public interface AgedRows {

    /** Deletes up to {@code limit} rows older than {@code cutoff}, oldest first; returns how many went. */
    int deleteBefore(Instant cutoff, int limit);

    /** Nothing to delete. */
    AgedRows NONE = (cutoff, limit) -> 0;
}
