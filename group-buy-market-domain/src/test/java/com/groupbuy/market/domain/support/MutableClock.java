package com.groupbuy.market.domain.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Test support: a UTC clock standing still until the test moves it forward (or moving on at every reading). */
public final class MutableClock extends Clock {

    private Instant now;
    private Duration perReading = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** From now on each reading is {@code step} later than the one before (a clock moving on while code runs). */
    public void advanceAtEveryReading(Duration step) {
        perReading = step;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant read = now;
        now = now.plus(perReading);
        return read;
    }
}
