package com.groupbuy.market.domain.trade.service.guard;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The trade rates counted in this instance alone, for {@link TradeRateGuard} while Redis cannot count them: the idea of
 * the job executor's local token limit ({@code LocalAuthLimit}) — the same limits, each bucket's window starting at
 * its first request, kept in this process. An instance then lets through at most the rate in force per bucket and
 * second; the instances together at most their number times it, never an unlimited flood.
 * <p>
 * Bounded memory: at most {@link #MAX_BUCKETS} buckets; past it the ended windows are dropped, and a new bucket that
 * still finds no room is {@link Answer#FULL} (refused by the guard: what it cannot count it does not let through).
 * Windows last one second, so only more than that many callers within one second fill it.
 */
final class LocalRateWindows {

    static final int MAX_BUCKETS = 10_000;
    private static final long WINDOW_MILLIS = 1_000;

    enum Answer {
        ADMITTED,
        OVER,
        FULL
    }

    private final Clock clock;
    private final Map<Object, Window> windows = new HashMap<>();

    LocalRateWindows(Clock clock) {
        this.clock = clock;
    }

    /** Takes a permit of {@code bucket}'s window, at most {@code perSecond} in each. */
    synchronized Answer tryAcquire(Object bucket, int perSecond) {
        long now = clock.millis();
        Window window = windows.get(bucket);
        if (window == null || window.endedAt(now)) {
            if (window == null && windows.size() >= MAX_BUCKETS) {
                windows.values().removeIf(w -> w.endedAt(now));
                if (windows.size() >= MAX_BUCKETS) {
                    return Answer.FULL;
                }
            }
            window = new Window(now);
            windows.put(bucket, window);
        }
        if (window.count >= perSecond) {
            return Answer.OVER;
        }
        window.count++;
        return Answer.ADMITTED;
    }

    synchronized int buckets() {
        return windows.size();
    }

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }

        /**
         * A second after its start, or a clock stepped back before it: measured from an end, a step back held the
         * window, and its bucket refused after {@code perSecond} requests, for as long as the step.
         */
        boolean endedAt(long now) {
            return now < start || now - start >= WINDOW_MILLIS;
        }
    }
}
