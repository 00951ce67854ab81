package com.groupbuy.market.domain.outbox.service;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed callback again. After failed attempt n (1-based) the next comes after the n-th delay of the
 * schedule, spread by ±jitter so a recovering partner is not hit by every task at once; past the schedule the task
 * fails for good.
 * <p>
 * Attempts count in rounds of {@link #maxAttempts}: a FAIL task an operator re-drives keeps its attempt count (its
 * attempt rows are numbered by it), and its next attempt, one past the cap, is the first of a new round, so the re-drive
 * gives it the whole schedule again. Before, every attempt after a re-drive was past the cap: its first failure was FAIL
 * again at once.
 */
public final class NotifyBackoff {

    /** About a day in all: the schedule partners know from WeChat Pay's notifications. */
    public static final List<Duration> DEFAULT_SCHEDULE = List.of(
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(3),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(60),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(6));

    /** The shortest wait: below it a partner's restart outlasts the whole schedule. */
    public static final Duration MIN_WAIT = Duration.ofSeconds(1);

    /** The longest wait: beyond it a retry is no longer the same conversation (and far enough, not a writable time). */
    public static final Duration MAX_WAIT = Duration.ofDays(30);

    private final List<Duration> schedule;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * Refuses, at start, a schedule under which a callback could be lost to a blip or never tried again in a useful
     * time: no wait at all (one attempt, then FAIL), a wait under {@link #MIN_WAIT} (Spring reads
     * {@code gbm.notify.backoff=15,15,30} as milliseconds: every task failed for good within a tenth of a second) or
     * over {@link #MAX_WAIT}.
     */
    public NotifyBackoff(List<Duration> schedule, double jitter, DoubleSupplier random) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("gbm.notify.backoff needs at least one wait (e.g. 15s,1m,10m)");
        }
        for (Duration wait : schedule) {
            if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
                throw new IllegalArgumentException("gbm.notify.backoff waits must be from 1s to 30 days, got " + wait
                        + " (a bare number is milliseconds: write 15s, 3m, 1h)");
            }
        }
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.random = random;
    }

    /** Whether a task whose attempt number {@code attempt} just failed gets another attempt. */
    public boolean retriesAfter(int attempt) {
        return inRound(attempt) <= schedule.size();
    }

    /** The wait before the attempt after failed attempt {@code attempt}; only when {@link #retriesAfter} holds. */
    public Duration delayAfter(int attempt) {
        Duration base = schedule.get(inRound(attempt) - 1);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** The attempt's place (1-based) in its round: a re-driven task's attempts start a new round past the cap. */
    private int inRound(int attempt) {
        return (Math.max(1, attempt) - 1) % maxAttempts() + 1;
    }
}
