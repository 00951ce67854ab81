package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.types.exception.Causes;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import lombok.extern.slf4j.Slf4j;

/**
 * What a local scheduler's failed runs leave in the log. A run that failed for an outage (the database or Redis
 * unavailable) is one WARN when the outage starts and one INFO when a run completes again, however many runs fail in
 * between: a run every few hundred milliseconds logged an ERROR with its stack each time while the database was down.
 * Any other failure is an ERROR with its stack, each time, as before. The timeout job's place sweep, which fails
 * within a run that completes, logs its outages through one too ({@link OutageLog}), as do the switches' reload, the
 * tag bitmap rebuild and the MQ consumers (whose "runs" are reloads, rebuilds and deliveries). While an outage lasts
 * each further failure is a DEBUG line; another dependency's outage meanwhile is a WARN of its own.
 */
@Slf4j
public class RunFailureLog implements OutageLog {

    private final String run;
    private final String runs;
    private final OutageOf outageOf;
    private final LongSupplier nanoTime;

    /** The dependencies whose outage the runs met since one last completed, in the order they were logged. */
    private final Set<String> dependencies = new LinkedHashSet<>();

    private long since;
    private int failedRuns;

    /** {@code run}: the run's name in the log ("local notify run"). */
    public RunFailureLog(String run, OutageOf outageOf) {
        this(run, "runs", outageOf);
    }

    /** {@code runs}: what its runs are called in the log ("deliveries"), "runs" by default. */
    public RunFailureLog(String run, String runs, OutageOf outageOf) {
        this(run, runs, outageOf, System::nanoTime);
    }

    RunFailureLog(String run, OutageOf outageOf, LongSupplier nanoTime) {
        this(run, "runs", outageOf, nanoTime);
    }

    RunFailureLog(String run, String runs, OutageOf outageOf, LongSupplier nanoTime) {
        this.run = run;
        this.runs = runs;
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
        if (!outage(failure)) {
            log.error(otherwise, failure);
        }
    }

    /**
     * A run ended in {@code failure}: an outage is logged as above (true); any other failure is left to the caller
     * (false, nothing logged), for a run that logs it its own way (the timeout job's place sweep: a WARN with its stack).
     */
    @Override
    public synchronized boolean outage(RuntimeException failure) {
        String unavailable = outageOf.dependency(failure);
        if (unavailable == null) {
            return false;
        }
        failedRuns++;
        if (dependencies.isEmpty()) {
            since = nanoTime.getAsLong();
        }
        if (dependencies.add(unavailable)) {
            log.warn(
                    "{} failed: {} unavailable ({}); the next {} retry, and once one completes that is logged",
                    run,
                    unavailable,
                    Causes.rootMessage(failure),
                    runs);
        } else {
            log.debug("{} failed again: {} unavailable ({})", run, unavailable, Causes.rootMessage(failure));
        }
        return true;
    }

    /** Whether the runs are failing for an outage, logged once, and no run has completed since. */
    public synchronized boolean inOutage() {
        return !dependencies.isEmpty();
    }

    /** A run ended without an exception: logs the end of an outage its runs met. */
    @Override
    public synchronized void completed() {
        if (dependencies.isEmpty()) {
            return;
        }
        log.info(
                "{} completes again: {} {} unavailable for {} {} in {} ms",
                run,
                String.join(" and ", dependencies),
                dependencies.size() == 1 ? "was" : "were",
                failedRuns,
                runs,
                (nanoTime.getAsLong() - since) / 1_000_000);
        dependencies.clear();
        failedRuns = 0;
    }
}
