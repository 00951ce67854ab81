package com.groupbuy.market.infrastructure.outage;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import lombok.extern.slf4j.Slf4j;

/**
 * A circuit breaker for one dependency. After {@code threshold} failures in a row it opens: calls fail at once with
 * {@link DependencyUnavailableException} instead of each waiting out a timeout. After {@code openFor} one call is let
 * through as a probe; its success closes the breaker, its failure opens it again.
 * <p>
 * Our own rather than Resilience4j: we need exactly these three states, per dependency, around two call sites (the
 * pool's getConnection and the place scripts); a library with its registry, configuration and AOP is more than the
 * forty lines it replaces.
 * <p>
 * The open time is measured on the monotonic clock ({@link System#nanoTime}), never the wall clock: stepped back by
 * NTP while the breaker was open (a VM resumed, a large drift corrected), the wall clock kept it open, with no probe,
 * for as long as the step on top of {@code openFor}: every Redis or database call answered E0401 for that long though
 * the dependency was back.
 */
@Slf4j
public class DependencyBreaker {

    private final String dependency;
    private final int threshold;
    private final Duration openFor;
    private final LongSupplier nanoTime;
    private final AtomicInteger failures = new AtomicInteger();
    /** When it opened ({@link #nanoTime}); meaningless while closed. */
    private final AtomicLong openedAt = new AtomicLong();

    private final AtomicBoolean open = new AtomicBoolean();

    private final AtomicBoolean probing = new AtomicBoolean();

    public DependencyBreaker(String dependency, int threshold, Duration openFor) {
        this(dependency, threshold, openFor, System::nanoTime);
    }

    /** {@code nanoTime}: a monotonic clock in nanoseconds ({@link System#nanoTime}; a test's own). */
    DependencyBreaker(String dependency, int threshold, Duration openFor, LongSupplier nanoTime) {
        this.dependency = dependency;
        this.threshold = threshold;
        this.openFor = openFor;
        this.nanoTime = nanoTime;
    }

    /** Throws while open, except for the one probe let through after {@code openFor}. */
    public void check() {
        if (!open.get()) {
            return;
        }
        if (nanoTime.getAsLong() - openedAt.get() < openFor.toNanos() || !probing.compareAndSet(false, true)) {
            throw new DependencyUnavailableException(
                    dependency, "circuit open after " + threshold + " failures in a row", null);
        }
    }

    /** Called on every successful call: reads first, so the closed steady state writes nothing shared. */
    public void success() {
        if (failures.get() != 0) {
            failures.set(0);
        }
        if (open.get() && open.getAndSet(false)) {
            probing.set(false);
            log.info("{} is back: circuit closed", dependency);
        }
    }

    public void failure(Throwable cause) {
        probing.set(false);
        if (failures.incrementAndGet() >= threshold) {
            openedAt.set(nanoTime.getAsLong());
            if (!open.getAndSet(true)) {
                log.warn(
                        "{} unavailable: circuit open, calls fail fast for {} ({})",
                        dependency,
                        openFor,
                        cause.toString());
            }
        }
    }

    public boolean isOpen() {
        return open.get();
    }

    public String dependency() {
        return dependency;
    }
}
