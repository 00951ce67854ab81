package com.groupbuy.market.trigger.job;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Decides, run by run, whether a local scheduler runs its job (no console drives us, or the console that holds our
 * registration has left the job's work undone past the takeover bound) and logs each hand-over.
 */
@Slf4j
final class LocalTakeover {

    private final String job;
    private final ObjectProvider<JobConsole> console;
    private Boolean lastDecision;
    private boolean leftByTheConsole;

    LocalTakeover(String job, ObjectProvider<JobConsole> console) {
        this.job = job;
        this.console = console;
    }

    synchronized boolean localShouldRun() {
        JobConsole current = console.getIfAvailable();
        boolean run = current == null || !current.drivesJobs();
        if (lastDecision != null && lastDecision != run) {
            if (run) {
                log.warn("{}: no XXL-Job console drives us any more; the local scheduler takes over", job);
            } else {
                log.info("{}: the XXL-Job console drives us again; the local scheduler stands by", job);
            }
        }
        lastDecision = run;
        return run;
    }

    /**
     * Whether the local scheduler runs the job: no console drives us, or one does and yet {@code left} finds work left
     * undone for longer than {@code after} (a console holding our registration is no proof that it runs
     * {@code handler}: the job may not exist, be stopped, name another JobHandler, or the console's scheduler be down
     * while its registry answers). {@code what}: that work, as logged ("a callback has been due").
     */
    synchronized boolean localShouldRun(BooleanSupplier left, String what, Duration after, String handler) {
        if (localShouldRun()) {
            return true;
        }
        boolean leftNow = left.getAsBoolean();
        if (leftNow != leftByTheConsole) {
            if (leftNow) {
                log.warn(
                        "{}: the XXL-Job console holds our registration, but {} for more than {} without a run taking "
                                + "it (is {} created, started, with JobHandler {}?); the local scheduler runs it "
                                + "meanwhile",
                        job,
                        what,
                        after,
                        handler,
                        handler);
            } else {
                log.info("{}: nothing left past {}; the local scheduler stands by again", job, after);
            }
            leftByTheConsole = leftNow;
        }
        return leftNow;
    }
}
