package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * One delivery attempt as the partner answered it. {@code httpStatus} is null when no HTTP answer came (refused,
 * timeout, TLS, refused address); delivered means HTTP 2xx and the acknowledgement body.
 * <p>
 * {@code notSentUntil} and {@code notSentReason} (#17) are set only when nothing was sent at all, and then both: the
 * endpoint's circuit breaker is open or its bulkhead is full. Such a result is not an attempt: the task waits until
 * then without using one of its tries. {@code error} says it in words for the task's last error; code that must tell
 * the reasons apart reads {@code notSentReason}.
 */
public record DeliveryResult(
        boolean delivered,
        Integer httpStatus,
        long latencyMs,
        String error,
        Instant notSentUntil,
        NotSentReason notSentReason) {

    public DeliveryResult {
        if ((notSentUntil == null) != (notSentReason == null)) {
            throw new IllegalArgumentException("a result not sent has both a time to try again and a reason");
        }
    }

    public DeliveryResult(boolean delivered, Integer httpStatus, long latencyMs, String error) {
        this(delivered, httpStatus, latencyMs, error, null, null);
    }

    /**
     * Nothing was sent, for {@code reason}; try again at {@code until}. {@code why} is kept, after "not sent: ", as the
     * task's last error.
     */
    public static DeliveryResult notSent(NotSentReason reason, Instant until, String why) {
        return new DeliveryResult(false, null, 0, "not sent: " + why, until, reason);
    }

    public boolean notAttempted() {
        return notSentUntil != null;
    }

    /** Whether nothing was sent, for this reason. */
    public boolean notSentBecause(NotSentReason reason) {
        return notSentReason == reason && reason != null;
    }
}
