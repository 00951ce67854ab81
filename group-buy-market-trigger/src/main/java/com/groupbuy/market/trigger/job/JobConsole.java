package com.groupbuy.market.trigger.job;

/**
 * Whether an XXL-Job console drives our jobs right now (the executor is registered with it). While none does
 * (no console configured, wrong token, console down) the local schedulers run the jobs instead; leases and state
 * guards make a run of both at once harmless.
 */
public interface JobConsole {

    boolean drivesJobs();
}
