package com.groupbuy.market.infrastructure.gateway.guard;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The wall time read once, then moved on by a monotonic nanosecond counter ({@link System#nanoTime}): an NTP step, a
 * VM resumed, a drift corrected never move it. For waits that must last what they say — a breaker's open state —
 * never for times stored or shown (those are the wall clock's).
 */
final class MonotonicClock extends Clock {

    private final Instant origin;
    private final long originNanos;
    private final LongSupplier nanoTime;

    MonotonicClock(Instant origin, LongSupplier nanoTime) {
        this.origin = origin;
        this.nanoTime = nanoTime;
        this.originNanos = nanoTime.getAsLong();
    }

    static MonotonicClock startingNow() {
        return new MonotonicClock(Instant.now(), System::nanoTime);
    }

    @Override
    public Instant instant() {
        // A difference of nanoTime readings, as its contract asks: correct across the counter's wrap-around.
        return origin.plusNanos(nanoTime.getAsLong() - originNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Zones do not move instants; the breakers ask none. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
