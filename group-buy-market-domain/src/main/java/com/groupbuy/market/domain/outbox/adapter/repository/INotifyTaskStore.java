package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The delivery side of the outbox: lease due tasks, record what became of each lease (an attempt's outcome, or the
 * task put back unsent). Every lease carries a fresh
 * fencing token ({@link NotifyTaskVO#getClaimToken()}); only the holder of the task's current token may finish it,
 * so a claimant whose lease ran out and was taken over cannot overwrite the newer claimant's result.
 * <p>
 * A claim's {@code leaseUntil} is the claimant's deadline on its own clock; the store keeps the lease for as long
 * ({@code leaseUntil - now}) from the claim by one clock shared by every instance (the database's), and judges every
 * lease on it, so instances whose clocks disagree still see each other's leases for their length.
 */
public interface INotifyTaskStore {

    /**
     * Leases up to {@code limit} unleased tasks of this shard (id mod total = index) due by {@code dueBy} (a run's
     * start: none the run put back itself), oldest first, to this worker until {@code leaseUntil}, in one short
     * transaction that skips rows another claimant is locking; all of them share one fresh token. At most
     * {@code oneByOneLimit} of them are tasks sent one after the other (every type but MQ, whose tasks of a batch are
     * sent together): older such tasks beyond it are passed over, not leased. Empty when none is left.
     */
    List<NotifyTaskVO> claimDue(
            Instant now,
            Instant dueBy,
            int shardIndex,
            int shardTotal,
            int limit,
            int oneByOneLimit,
            String worker,
            Instant leaseUntil);

    /**
     * Leases those of these tasks that are due and unleased to this worker until {@code leaseUntil}, under one fresh
     * token, in one short transaction that skips rows another claimant is locking (a batch handed over right after
     * the transactions that wrote them committed). Empty when none of them can be taken. (This default leases them
     * one by one, each under its own token.)
     */
    default List<NotifyTaskVO> claimAll(List<Long> taskIds, String worker, Instant now, Instant leaseUntil) {
        return taskIds.stream()
                .map(id -> claim(id, worker, now, leaseUntil, false))
                .filter(Objects::nonNull)
                .toList();
    }

    /** The team's tasks still owed (init or retry). */
    List<Long> pendingTaskIdsOfTeam(String teamId);

    /**
     * Leases the task to this worker until {@code leaseUntil} under a fresh token, or returns null when it is done,
     * not due (unless {@code ignoreSchedule}), or leased by another claimant whose lease has not run out.
     */
    NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule);

    /**
     * Records each attempt and its task's new state, and releases the task's lease, all in one transaction; each task
     * only while it still holds the token it was claimed under. The answer says, in order, which were recorded: false
     * (nothing written for that task, neither state nor attempt row) when its lease was lost to another claimant.
     */
    List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes);

    /**
     * Puts a page's leased tasks back unsent (#17): the endpoint's breaker or bulkhead, or our broker's block, refused
     * them, so no attempt is recorded and the try count is unchanged; each task is due again at its own {@code until}
     * with its {@code reason} as last error, in the status {@link NotifyTaskStatus#defer} gives, lease released. In
     * as few writes as the store can: a page of ~2,000 MQ callbacks our broker's block refused was once ~2,000 one-row
     * writes. Like finishing an attempt, each task only under its own current claim token: one whose lease was taken
     * over meanwhile is left alone, the others are put back all the same. The answer says, in order, which were put
     * back.
     */
    List<Boolean> deferAll(List<NotifyPutBack> putBacks);

    /**
     * Releases a leased task unsent: its turn in a page came too late for its send to end within the lease, so the
     * next claim may take it at once with a fresh lease instead of waiting out this one. State, due time and try count
     * stay as before its claim; {@code reason} (a {@code not sent: …} line, cut to the column) becomes its last error,
     * so an operator listing the task sees why that run did not send it. Only under the task's current claim token, so
     * a task another claimant has taken meanwhile is left alone; false when the lease was lost.
     */
    boolean release(NotifyTaskVO task, String reason);

    /** {@link #finishAttempts} of one attempt. */
    default boolean finishAttempt(
            NotifyTaskVO task,
            Instant attemptTime,
            DeliveryResult result,
            NotifyTaskStatus newStatus,
            Instant nextAttemptTime) {
        return finishAttempts(List.of(new NotifyAttemptOutcome(task, attemptTime, result, newStatus, nextAttemptTime)))
                .get(0);
    }
}
