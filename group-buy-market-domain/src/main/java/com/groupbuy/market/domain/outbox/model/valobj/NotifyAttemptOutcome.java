package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * One attempt ready to be recorded: the task as it was claimed (its fencing token included), when the attempt started,
 * how the partner answered, and the state and next attempt time the task moves to.
 */
public record NotifyAttemptOutcome(
        NotifyTaskVO task,
        Instant attemptTime,
        DeliveryResult result,
        NotifyTaskStatus newStatus,
        Instant nextAttemptTime) {

    /**
     * Whether the attempt is kept as a {@code notify_attempt} row. Every attempt is, but a close check's publish the
     * broker confirmed (#15's delay path, {@link NotifyTarget#DELAY}; #19: a third of a lock's rows): nothing reads
     * that row. The admin's attempts and the console leave close checks out, retention only deletes it, and what it
     * said is on the task's own row (delivered, {@code notify_count} tries, {@code next_attempt_time} the time of the
     * attempt that delivered it) and in the attempt meter ({@code gbm.notify.attempts{type=DELAY,
     * outcome=delivered}}, with its latency). A close check's failed publish keeps its row, as every partner
     * callback's attempt does.
     */
    public boolean keepsAttemptRow() {
        return !(result.delivered() && NotifyTarget.DELAY.equals(task.getNotifyType()));
    }
}
