package com.groupbuy.market.domain.support;

/**
 * The instance's stop, as the background runs see it (the compensation run, the timeout job with its place sweep,
 * retention): once it began, a run takes no further page and ends with what it holds. Told when the application
 * starts closing; before, Spring's stop waited for a running job up to its phase timeout (30 s) while the run went on
 * claiming pages, and then closed the database pool under it. One per instance, given to each of those services as
 * it is built (a constructor argument, never set afterwards); a test's own, never told, never stops a run early.
 */
public final class RunStop {

    private volatile boolean stopping;

    /** The instance is stopping: every run ends after what it holds. */
    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }
}
