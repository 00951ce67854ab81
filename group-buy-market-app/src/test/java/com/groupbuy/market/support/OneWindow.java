package com.groupbuy.market.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Rate-limit checks whose claim is about one window of a limiter, run so a loaded machine cannot stretch them. */
public final class OneWindow {

    private OneWindow() {}

    /**
     * What {@code checks} found on buckets of a source of its own, from a run whose checks all fell in one window of
     * {@code windowMillis}: a run a loaded machine stretched over more (a slow Redis call, a pause) is no evidence
     * either way, so it is run again on fresh buckets (each its own source), five runs at most. Told by this JVM's
     * monotonic clock around the run, which spans at least the Redis time between its first and last check.
     */
    public static <T> T run(long windowMillis, Function<String, T> checks) {
        List<Long> stretched = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            String source = "s-" + UUID.randomUUID().toString().substring(0, 8);
            long start = System.nanoTime();
            T found = checks.apply(source);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            if (tookMs < windowMillis) {
                return found;
            }
            stretched.add(tookMs);
        }
        throw new AssertionError("no run of the checks fell in one window: " + stretched + " ms");
    }
}
