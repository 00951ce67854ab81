package com.groupbuy.market.types.progress;

import java.util.List;
import java.util.Optional;

/** Where long work reports rows done / total, and where the console and the admin API read it. */
public interface ProgressBoard {

    /** A board that keeps nothing (work run where nobody watches, e.g. unit tests). */
    ProgressBoard NONE = new InMemoryProgressBoard(0);

    /** The work was accepted and waits for a worker. */
    void queued(String kind, String subject);

    /** The work starts now on {@code total} rows (-1 when unknown); the handle reports what follows. */
    Progress start(String kind, String subject, long total);

    Optional<WorkProgress> get(String kind, String subject);

    /** Active work first, then the most recently finished, newest first. */
    List<WorkProgress> recent();

    /** What a running piece of work reports. */
    interface Progress {

        void advance(long rows);

        void done();

        void failed(String reason);
    }
}
