package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * A lease on outbox tasks: who holds them ({@code holder}, the worker name), under which fencing token, until when.
 * Close checks (#15) are written already under the relay's lease, so the lock's own transaction is their claim and
 * the compensation job leaves them to the relay until {@code until}.
 */
public record NotifyLease(String holder, String token, Instant until) {}
