package com.groupbuy.market.domain.support;

/**
 * What a recurring run's outages leave in the log, for a run that fails within a job that itself completes (the
 * timeout job's place sweep): an outage (Redis or the database unavailable) is logged once when the runs start failing
 * for it and once when one runs again, however many fail in between. The domain cannot tell an outage from any other
 * failure (that is the infrastructure's exceptions): the app supplies one that can; {@link #NONE} takes no failure as
 * an outage, and the caller logs each as before.
 */
public interface OutageLog {

    /** Takes nothing as an outage: every failure is left to the caller's own log. */
    OutageLog NONE = new OutageLog() {
        @Override
        public boolean outage(RuntimeException failure) {
            return false;
        }

        @Override
        public void completed() {}
    };

    /**
     * A run failed: true when for an outage, logged here (a WARN when the outage starts, nothing while it lasts);
     * false, logging nothing, for any other failure, which the caller logs itself.
     */
    boolean outage(RuntimeException failure);

    /** A run ran without failing: logs the end of an outage the runs before it met (nothing otherwise). */
    void completed();
}
