package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * One delivery attempt as the partner answered it. {@code httpStatus} is null when no HTTP answer came (refused,
 * timeout, TLS, refused address); delivered means HTTP 2xx and the acknowledgement body.
 * <p>
 * {@code notSentUntil} (#17) is set only when nothing was sent at all: the endpoint's circuit breaker is open or its
 * bulkhead is full. Such a result is not an attempt: the task waits until then without using one of its tries.
 */
public record DeliveryResult(
        boolean delivered, Integer httpStatus, long latencyMs, String error, Instant notSentUntil) {

    public DeliveryResult(boolean delivered, Integer httpStatus, long latencyMs, String error) {
        this(delivered, httpStatus, latencyMs, error, null);
    }

    /** Nothing was sent; try again at {@code until}, for the reason given (kept as the task's last error). */
    public static DeliveryResult notSent(Instant until, String reason) {
        return new DeliveryResult(false, null, 0, "not sent: " + reason, until);
    }

    public boolean notAttempted() {
        return notSentUntil != null;
    }
}
