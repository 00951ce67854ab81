package com.groupbuy.market.types.progress;

import java.time.Instant;

/**
 * Where one piece of long work stands: {@code done} of {@code total} rows ({@code total} -1 while unknown), its
 * state, and the reason when it failed. {@code kind} + {@code subject} name it ("tag-import" + a batch id,
 * "notify-redrive" + a filter).
 */
public record WorkProgress(
        String kind,
        String subject,
        State state,
        long done,
        long total,
        String error,
        Instant startedAt,
        Instant finishedAt) {

    public enum State {
        QUEUED,
        RUNNING,
        DONE,
        FAILED
    }

    public boolean active() {
        return state == State.QUEUED || state == State.RUNNING;
    }
}
