package com.groupbuy.market.infrastructure.trade.repository;

/** What a test may read of a running {@link LockGroupCommit} (in its package): the locks waiting for a writer. */
public final class LockGroupCommitQueue {

    private LockGroupCommitQueue() {}

    /** Locks queued, not yet taken into a batch by a writer thread. */
    public static int queued(LockGroupCommit group) {
        return group.queued();
    }
}
