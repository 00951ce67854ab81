package com.groupbuy.market.infrastructure.outage;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import lombok.extern.slf4j.Slf4j;

/**
 * A circuit breaker for one dependency. After {@code threshold} failures in a row it opens: calls fail at once with
 * {@link DependencyUnavailableException} instead of each waiting out a timeout. After {@code openFor} one call is let
 * through as a probe; its success closes the breaker, its failure opens it again.
 * <p>
 * Our own rather than Resilience4j: we need exactly these three states, per dependency, around two call sites (the
 * pool's getConnection and the place scripts); a library with its registry, configuration and AOP is more than the
 * forty lines it replaces.
 */
@Slf4j
public class DependencyBreaker {

    private final String dependency;
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    /** Null while closed; when it opened otherwise. */
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();

    private final AtomicBoolean probing = new AtomicBoolean();

    public DependencyBreaker(String dependency, int threshold, Duration openFor, Clock clock) {
        this.dependency = dependency;
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Throws while open, except for the one probe let through after {@code openFor}. */
    public void check() {
        Instant opened = openedAt.get();
        if (opened == null) {
            return;
        }
        if (Instant.now(clock).isBefore(opened.plus(openFor)) || !probing.compareAndSet(false, true)) {
            throw new DependencyUnavailableException(
                    dependency, "circuit open after " + threshold + " failures in a row", null);
        }
    }

    /** Called on every successful call: reads first, so the closed steady state writes nothing shared. */
    public void success() {
        if (failures.get() != 0) {
            failures.set(0);
        }
        if (openedAt.get() != null && openedAt.getAndSet(null) != null) {
            probing.set(false);
            log.info("{} is back: circuit closed", dependency);
        }
    }

    public void failure(Throwable cause) {
        probing.set(false);
        if (failures.incrementAndGet() >= threshold) {
            Instant now = Instant.now(clock);
            if (openedAt.getAndSet(now) == null) {
                log.warn(
                        "{} unavailable: circuit open, calls fail fast for {} ({})",
                        dependency,
                        openFor,
                        cause.toString());
            }
        }
    }

    public boolean isOpen() {
        return openedAt.get() != null;
    }

    public String dependency() {
        return dependency;
    }
}
