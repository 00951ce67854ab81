package com.groupbuy.market.trigger.job;

import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;

/** Decides, run by run, whether a local scheduler runs its job (no console drives us) and logs each hand-over. */
@Slf4j
final class LocalTakeover {

    private final String job;
    private final ObjectProvider<JobConsole> console;
    private Boolean lastDecision;

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
}
