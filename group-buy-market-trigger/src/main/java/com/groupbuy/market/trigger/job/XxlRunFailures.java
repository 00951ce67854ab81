package com.groupbuy.market.trigger.job;

import com.xxl.job.core.context.XxlJobHelper;

/**
 * An XXL-Job handler's failed runs. In the app log as the local schedulers' ({@link RunFailureLog}): a run failing for
 * an outage is one WARN when the outage starts and one INFO when a run completes again, any other failure an ERROR
 * with its stack each time (before, every run during a database outage logged an ERROR with its stack, every 10 s per
 * job on a console's usual schedule). To the console each failure is reported as before, whatever the app log says:
 * the stack in the run's job log and the run failed with the failure's message.
 */
final class XxlRunFailures {

    private final String job;
    private final RunFailureLog log;

    XxlRunFailures(String job, OutageOf outageOf) {
        this.job = job;
        this.log = new RunFailureLog(job, outageOf);
    }

    /** A run ended without an exception: logs the end of an outage its runs met. */
    void completed() {
        log.completed();
    }

    /** A run ended in {@code failure}: logged as above, and reported failed to the console. */
    void failed(RuntimeException failure) {
        log.failed(failure);
        report(failure);
    }

    /** As {@link #failed(RuntimeException)}, the ERROR of a failure that is no outage saying {@code otherwise}. */
    void failed(RuntimeException failure, String otherwise) {
        log.failed(failure, otherwise);
        report(failure);
    }

    private void report(RuntimeException failure) {
        XxlJobHelper.log(failure);
        XxlJobHelper.handleFail(job + " failed: " + failure.getMessage());
    }
}
