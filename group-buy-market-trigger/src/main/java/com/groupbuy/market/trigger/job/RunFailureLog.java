package com.groupbuy.market.trigger.job;

import java.util.function.LongSupplier;
import lombok.extern.slf4j.Slf4j;

/**
 * What a local scheduler's failed runs leave in the log. A run that failed for an outage (the database or Redis
 * unavailable) is one WARN when the outage starts and one INFO when a run completes again, however many runs fail in
 * between: a run every few hundred milliseconds logged an ERROR with its stack each time while the database was down.
 * Any other failure is an ERROR with its stack, each time, as before.
 */
@Slf4j
public class RunFailureLog {

    private final String run;
    private final OutageOf outageOf;
    private final LongSupplier nanoTime;

    private String dependency;
    private long since;
    private int failedRuns;

    /** {@code run}: the run's name in the log ("local notify run"). */
    public RunFailureLog(String run, OutageOf outageOf) {
        this(run, outageOf, System::nanoTime);
    }

    RunFailureLog(String run, OutageOf outageOf, LongSupplier nanoTime) {
        this.run = run;
        this.outageOf = outageOf;
        this.nanoTime = nanoTime;
    }

    /** A run ended in {@code failure}. */
    public synchronized void failed(RuntimeException failure) {
        failed(failure, run + " failed; the next run retries");
    }

    /**
     * As {@link #failed(RuntimeException)}, the ERROR of a failure that is no outage saying {@code otherwise} (taken as
     * it is, not as a pattern): a run an operator starts says what it was asked, and no next run retries it.
     */
    public synchronized void failed(RuntimeException failure, String otherwise) {
        String unavailable = outageOf.dependency(failure);
        if (unavailable == null) {
            log.error(otherwise, failure);
            return;
        }
        failedRuns++;
        if (dependency == null) {
            dependency = unavailable;
            since = nanoTime.getAsLong();
            log.warn(
                    "{} failed: {} unavailable ({}); the next runs retry, and once one completes that is logged",
                    run,
                    unavailable,
                    rootMessage(failure));
        }
    }

    /** Whether the runs are failing for an outage, logged once, and no run has completed since. */
    public synchronized boolean inOutage() {
        return dependency != null;
    }

    /** A run ended without an exception: logs the end of an outage its runs met. */
    public synchronized void completed() {
        if (dependency == null) {
            return;
        }
        log.info(
                "{} completes again: {} was unavailable for {} runs in {} ms",
                run,
                dependency,
                failedRuns,
                (nanoTime.getAsLong() - since) / 1_000_000);
        dependency = null;
        failedRuns = 0;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
