package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyAttemptRecorder;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each send of {@link DueCallbackDeliveryService} came to, written to the store: an attempt's outcome (SUCCESS,
 * RETRY at the backoff's next time, or FAIL past the schedule), recorded with its page's in one write; a call the
 * gateway declined, put back without using a try; a task left unsent, released for a fresh lease or, when the
 * instance stops, put back due now. A page's put-backs are gathered while it is sent and written together once its
 * sends are over ({@link #putBackAll}): one store call, not a write per task. Every write is under the task's own
 * fencing token.
 */
final class SendOutcomes {

    // Logged under the delivery service's logger, as it always was: operators filter on that name.
    private static final Logger log = LoggerFactory.getLogger(DueCallbackDeliveryService.class);

    /** A task's last error when a stopping run put it back unsent. */
    static final String STOPPED = "not sent: the instance stopped";

    private final INotifyTaskStore store;
    private final NotifyBackoff backoff;
    private final Clock clock;
    private final DeliverySettings settings;

    SendOutcomes(INotifyTaskStore store, NotifyBackoff backoff, Clock clock, DeliverySettings settings) {
        this.store = store;
        this.backoff = backoff;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * A task of a page left unsent, its send taking up to {@code window}: put back due now when the instance is
     * stopping (added to the page's {@code putBacks}, see {@link #stopped}); otherwise its lease ended before its send
     * could (the page's earlier sends spent it), so its lease is released, under its own token
     * ({@link INotifyTaskStore#release}: no try used, due as it was, the reason its last error), and the next claim,
     * this lane's or another's, takes it first with a fresh lease. Kept leased, a big body at the end of a page sized
     * for small ones was sent only after its lease ran out, up to a minute late. A send that would not fit a fresh
     * lease with a send window to spare either (a lease set barely above one send) stays leased: released, it would be
     * claimed and released again at once, round after round.
     */
    NotifyRunSummary notSent(
            NotifyTaskVO task, Duration window, BooleanSupplier stopped, List<NotifyPutBack> putBacks) {
        if (stopped.getAsBoolean()) {
            putBacks.add(stopped(task));
            return NotifyRunSummary.empty();
        }
        if (window.plus(settings.sendWindow()).compareTo(settings.lease()) > 0) {
            log.warn(
                    "notify task={} team={} not sent: its lease ends before a send could (left to the next run)",
                    task.getId(),
                    task.getTeamId());
            return NotifyRunSummary.empty();
        }
        String why = "not sent: its lease ends before its send (" + window + ") could; released for a fresh lease";
        if (!store.release(task, why)) {
            log.warn(
                    "notify task={} team={} not sent and not released: the lease was taken over",
                    task.getId(),
                    task.getTeamId());
            return NotifyRunSummary.empty();
        }
        log.info("notify task={} team={} {}", task.getId(), task.getTeamId(), why);
        return NotifyRunSummary.empty();
    }

    /**
     * A leased task a stopping run will not send, to be put back due now, no try used: kept leased, no other instance
     * could send it before its lease ran out (a minute by default).
     */
    NotifyPutBack stopped(NotifyTaskVO task) {
        return new NotifyPutBack(task, Instant.now(clock), STOPPED);
    }

    /**
     * An attempt joins the page's outcomes; a call the gateway declined to make (#17: the endpoint's breaker open, its
     * bulkhead full, our broker blocking us) joins the page's put-backs instead (#17: not sent, so not an attempt: the
     * task waits as RETRY until the gateway's time, its try count unchanged), counted as a retry once written.
     */
    void take(
            NotifyTaskVO task,
            Instant attemptTime,
            DeliveryResult result,
            List<NotifyAttemptOutcome> outcomes,
            List<NotifyPutBack> putBacks) {
        if (result.notAttempted() && settings.deferUnsent()) {
            putBacks.add(new NotifyPutBack(task, result.notSentUntil(), result.error()));
            return;
        }
        outcomes.add(outcome(task, attemptTime, result));
    }

    /**
     * The state an attempt moves its task to: SUCCESS, RETRY at the backoff's next time, or FAIL past the schedule or
     * at once when no retry can mend it ({@link DeliveryResult#permanent}).
     */
    private NotifyAttemptOutcome outcome(NotifyTaskVO task, Instant attemptTime, DeliveryResult result) {
        int attemptNo = task.getNotifyCount() + 1;
        if (result.delivered()) {
            // A delivered task keeps the time of the attempt that delivered it; retention ages it from this time.
            return new NotifyAttemptOutcome(task, attemptTime, result, NotifyTaskStatus.SUCCESS, attemptTime);
        }
        if (backoff.retriesAfter(attemptNo) && !result.permanent()) {
            return new NotifyAttemptOutcome(
                    task, attemptTime, result, NotifyTaskStatus.RETRY, attemptTime.plus(backoff.delayAfter(attemptNo)));
        }
        return new NotifyAttemptOutcome(task, attemptTime, result, NotifyTaskStatus.FAIL, attemptTime);
    }

    /**
     * Writes attempts' outcomes in one transaction ({@link INotifyTaskStore#finishAttempts}: each under its own task's
     * token, so outcomes of different claims may share a write) and logs each: what a page's delivery does after its
     * sends, and what an {@link INotifyAttemptRecorder} calls with the outcomes handed to it.
     */
    NotifyRunSummary recordAttempts(List<NotifyAttemptOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return NotifyRunSummary.empty();
        }
        List<Boolean> recorded = store.finishAttempts(outcomes);
        int delivered = 0, retried = 0, failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            NotifyAttemptOutcome outcome = outcomes.get(i);
            NotifyTaskVO task = outcome.task();
            DeliveryResult result = outcome.result();
            int attemptNo = task.getNotifyCount() + 1;
            if (!recorded.get(i)) {
                log.warn(
                        "notify task={} team={} attempt={} delivered={} not recorded: the lease was taken over",
                        task.getId(),
                        task.getTeamId(),
                        attemptNo,
                        result.delivered());
                continue;
            }
            switch (outcome.newStatus()) {
                case SUCCESS -> delivered++;
                case RETRY -> retried++;
                default -> failed++;
            }
            // #19: guarded, so a page's arguments (the array, the boxed numbers) are not built at a level that drops
            // them (the relay records every close check here, two per lock opening a team).
            if (!log.isInfoEnabled()) {
                continue;
            }
            log.info(
                    "notify task={} team={} attempt={} delivered={} http={} error={} next={}",
                    task.getId(),
                    task.getTeamId(),
                    attemptNo,
                    result.delivered(),
                    result.httpStatus(),
                    result.error(),
                    outcome.newStatus() == NotifyTaskStatus.RETRY ? outcome.nextAttemptTime() : null);
        }
        return new NotifyRunSummary(outcomes.size(), delivered, retried, failed);
    }

    /**
     * A page's leased tasks put back unsent, each due at its own time, no try used, unless its lease was taken over
     * meanwhile: one store call for the page ({@link INotifyTaskStore#deferAll}, which writes those alike together),
     * where a page of ~2,000 MQ callbacks our broker's block refused was ~2,000 one-row writes. Each task is still
     * logged on its own line, as an attempt is ({@link #recordAttempts}): its own next time (each refusal names its
     * own), and the line an operator finds by the task's id or team.
     */
    NotifyRunSummary putBackAll(List<NotifyPutBack> putBacks) {
        if (putBacks.isEmpty()) {
            return NotifyRunSummary.empty();
        }
        List<Boolean> putBack = store.deferAll(putBacks);
        int retried = 0;
        for (int i = 0; i < putBacks.size(); i++) {
            NotifyPutBack back = putBacks.get(i);
            NotifyTaskVO task = back.task();
            if (!putBack.get(i)) {
                log.warn(
                        "notify task={} team={} not sent and not put back: the lease was taken over",
                        task.getId(),
                        task.getTeamId());
                continue;
            }
            retried++;
            if (log.isInfoEnabled()) {
                log.info(
                        "notify task={} team={} {} (no attempt used) next={}",
                        task.getId(),
                        task.getTeamId(),
                        back.reason(),
                        back.until());
            }
        }
        return new NotifyRunSummary(putBacks.size(), 0, retried, 0);
    }
}
