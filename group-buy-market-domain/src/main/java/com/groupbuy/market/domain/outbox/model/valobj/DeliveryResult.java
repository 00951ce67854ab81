package com.groupbuy.market.domain.outbox.model.valobj;

import com.groupbuy.market.types.text.LogSafeText;
import java.time.Instant;

/**
 * One delivery attempt as the partner answered it. {@code httpStatus} is null when no HTTP answer came (refused,
 * timeout, TLS, refused address); delivered means HTTP 2xx and the acknowledgement body.
 * <p>
 * {@code notSentUntil} and {@code notSentReason} (#17) are set only when nothing was sent at all, and then both: the
 * endpoint's circuit breaker is open or its bulkhead is full. Such a result is not an attempt: the task waits until
 * then without using one of its tries. {@code error} says it in words for the task's last error; code that must tell
 * the reasons apart reads {@code notSentReason}.
 * <p>
 * {@code endpointHealthy}: not delivered, but the endpoint itself answered as a healthy one — the broker took an MQ
 * publish and returned it because no queue is bound to its key (a mall that has not bound it), or nacked it because
 * the queue it was routed to refuses publishes (full, {@code reject-publish}). A failed attempt of
 * its task all the same, but no failure of the endpoint: the broker is every MQ partner's one endpoint, and one
 * partner's missing binding must not open its circuit breaker for all of them.
 * <p>
 * {@code permanent}: a failed attempt no retry can mend while the endpoint stays as it is ({@link #undeliverable}); its
 * task FAILs at once instead of using its remaining tries.
 */
public record DeliveryResult(
        boolean delivered,
        Integer httpStatus,
        long latencyMs,
        String error,
        Instant notSentUntil,
        NotSentReason notSentReason,
        boolean endpointHealthy,
        boolean permanent) {

    public DeliveryResult {
        if ((notSentUntil == null) != (notSentReason == null)) {
            throw new IllegalArgumentException("a result not sent has both a time to try again and a reason");
        }
        if (permanent && (delivered || notSentUntil != null)) {
            throw new IllegalArgumentException("only a failed attempt is permanent");
        }
    }

    public DeliveryResult(
            boolean delivered,
            Integer httpStatus,
            long latencyMs,
            String error,
            Instant notSentUntil,
            NotSentReason notSentReason,
            boolean endpointHealthy) {
        this(delivered, httpStatus, latencyMs, error, notSentUntil, notSentReason, endpointHealthy, false);
    }

    public DeliveryResult(
            boolean delivered,
            Integer httpStatus,
            long latencyMs,
            String error,
            Instant notSentUntil,
            NotSentReason notSentReason) {
        this(delivered, httpStatus, latencyMs, error, notSentUntil, notSentReason, false);
    }

    public DeliveryResult(boolean delivered, Integer httpStatus, long latencyMs, String error) {
        this(delivered, httpStatus, latencyMs, error, null, null, false);
    }

    /**
     * A failed attempt the endpoint answered as a healthy one would (an MQ publish the broker returned unroutable):
     * it does not count against the endpoint's circuit breaker.
     */
    public static DeliveryResult failedAtRecipient(long latencyMs, String error) {
        return new DeliveryResult(false, null, latencyMs, error, null, null, true);
    }

    /**
     * A failed attempt the endpoint refused for the message itself, which every retry would send unchanged (an MQ
     * callback larger than the broker's {@code max_message_size}): its task FAILs at once, visible to operators and
     * re-driven once the endpoint takes it, rather than using its tries over the backoff's day. The endpoint answered
     * as a healthy one, so it does not count against its circuit breaker.
     */
    public static DeliveryResult undeliverable(long latencyMs, String error) {
        return new DeliveryResult(false, null, latencyMs, error, null, null, true, true);
    }

    /** Whether the endpoint's circuit breaker counts this result as a success of the endpoint. */
    public boolean endpointWell() {
        return delivered || endpointHealthy;
    }

    /**
     * Nothing was sent, for {@code reason}; try again at {@code until}. {@code why} is kept, after "not sent: ", as the
     * task's last error.
     */
    public static DeliveryResult notSent(NotSentReason reason, Instant until, String why) {
        return new DeliveryResult(false, null, 0, "not sent: " + why, until, reason);
    }

    /**
     * Not sent because the broker refuses the task's partner's own exchange ({@link NotSentReason#EXCHANGE_REFUSED}):
     * the task waits until {@code until} without using a try. The broker answered as a healthy one — it is that
     * partner's exchange that is broken — so, like a return, this counts as no failure of the endpoint every MQ
     * partner shares: one partner's exchange must not open the breaker for all of them.
     */
    public static DeliveryResult exchangeRefused(Instant until, String why) {
        return new DeliveryResult(false, null, 0, "not sent: " + why, until, NotSentReason.EXCHANGE_REFUSED, true);
    }

    /**
     * Not sent because every channel our MQ publisher may hold is taken (its bound, or the broker's {@code channel_max}
     * on the connection): the task waits until {@code until} without using a try, as for a full bulkhead
     * ({@link NotSentReason#BULKHEAD_FULL}). The broker is well — it is our own publishing that is busy — so this
     * counts as no failure of the endpoint every MQ partner shares.
     */
    public static DeliveryResult channelsBusy(Instant until, String why) {
        return new DeliveryResult(false, null, 0, "not sent: " + why, until, NotSentReason.BULKHEAD_FULL, true);
    }

    /**
     * Not sent because the broker closed the MQ channel it was published on for another message of its batch (one
     * larger than the broker's {@code max_message_size}) before it took this one
     * ({@link NotSentReason#CHANNEL_CLOSED}): the task waits until {@code until} without using a try. The broker is
     * well, so this counts as no failure of the endpoint every MQ partner shares.
     */
    public static DeliveryResult channelClosed(Instant until, String why) {
        return new DeliveryResult(false, null, 0, "not sent: " + why, until, NotSentReason.CHANNEL_CLOSED, true);
    }

    /**
     * Not published because our broker blocks our publisher connection (a memory or disk alarm), or confirmed none of
     * the page's last publishes in time, as it does once it blocks us ({@link NotSentReason#BROKER_BLOCKED}): the task
     * waits until {@code until} without using a try, for no partner is at fault. Nothing was sent, so the endpoint's
     * circuit breaker records this call as neither a failure nor a success (the publishes that did go out into the
     * alarm are failed attempts and count).
     */
    public static DeliveryResult brokerBlocked(Instant until, String why) {
        return notSent(NotSentReason.BROKER_BLOCKED, until, why);
    }

    /**
     * Not sent because our own process could not open the call's socket ({@link NotSentReason#LOCAL_RESOURCES}: out of
     * file descriptors, local ports or socket buffers): the task waits until {@code until} without using a try. The
     * endpoint was never reached, so its circuit breaker records this call as neither a failure nor a success.
     */
    public static DeliveryResult ownFault(Instant until, String why) {
        return notSent(NotSentReason.LOCAL_RESOURCES, until, why);
    }

    /**
     * A send that threw instead of answering (a component refusing one task's input — a signing secret, a body, a routing
     * key — or a bug): a failed attempt of that task alone, the exception's class and message its error. Thrown, it
     * failed every other task of its page: none of them was recorded, and the run threw.
     */
    public static DeliveryResult sendThrew(RuntimeException e, long latencyMs) {
        return new DeliveryResult(
                false,
                null,
                latencyMs,
                "send failed: " + e.getClass().getSimpleName() + ": " + LogSafeText.of(e.getMessage()));
    }

    public boolean notAttempted() {
        return notSentUntil != null;
    }

    /** Whether nothing was sent, for this reason. */
    public boolean notSentBecause(NotSentReason reason) {
        return notSentReason == reason && reason != null;
    }
}
