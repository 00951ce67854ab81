package com.groupbuy.market.infrastructure.trade.repository;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Flight-recorder events of {@link GroupCommit} (#19, where a lock's wait goes): nothing is recorded unless a JFR
 * recording is on ({@code jcmd <pid> JFR.start}); {@code docs/bench/lock_tail.sh} reads them. Times are in
 * nanoseconds.
 */
final class GroupCommitEvents {

    private GroupCommitEvents() {}

    /** One write's wait, committed by its caller once answered. */
    @Name("gbm.GroupCommitWrite")
    @Label("Group commit write")
    @Category("GBM")
    @StackTrace(false)
    @Description("One caller's wait in a group commit: queued, its batch written, the caller woken")
    static final class Write extends Event {
        @Label("Group")
        String group;

        @Label("Batch size")
        int batchSize;

        @Label("Batches written ahead of it")
        @Description("batches the writer finished between this write's arrival and the start of its own batch")
        int batchesAhead;

        @Label("Queued")
        @Timespan
        long queued;

        @Label("Its batch's write")
        @Timespan
        long writing;

        @Label("Woken")
        @Description("from its batch's commit until the caller ran again")
        @Timespan
        long woken;
    }

    /** One batch, committed by the writer thread; the event's duration is the batch's write (statements + commit). */
    @Name("gbm.GroupCommitBatch")
    @Label("Group commit batch")
    @Category("GBM")
    @StackTrace(false)
    static final class Batch extends Event {
        @Label("Group")
        String group;

        @Label("Size")
        int size;

        @Label("Writer idle before it")
        @Timespan
        long idleBefore;

        @Label("Rolled back")
        boolean rolledBack;

        @Label("Answering its callers")
        @Description("from its commit until the writer had completed every caller's answer")
        @Timespan
        long answering;
    }

    /**
     * A batch's statements before its commit, committed by the writer thread (the batch's event less this one is the
     * commit: the database's log flush and the transaction's end).
     */
    @Name("gbm.GroupCommitStatements")
    @Label("Group commit statements")
    @Category("GBM")
    @StackTrace(false)
    static final class Statements extends Event {
        @Label("Group")
        String group;

        @Label("Size")
        int size;
    }
}
