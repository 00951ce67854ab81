package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyAttemptRecorder;
import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;

/**
 * Delivers the outbox's due tasks, whatever owes them: settlement and refund callbacks (HTTP or MQ) and close checks.
 * (Named SettlementNotifyService before #16; it always delivered refund callbacks too.) A worker first leases a task (so no two workers send it at the same moment, and a task
 * whose worker died is taken again once the lease runs out), then posts it, then records the attempt: SUCCESS, or
 * RETRY at the backoff's next time, or FAIL past the schedule. Transport errors are attempts like any other, but
 * for a socket our own process could not open: not sent, no try used, said once per page ({@link OwnFaultsOfPage}).
 * Every lease carries its own fencing token: an outcome is written only under the token the task still holds, so
 * a claimant that lost its lease (even in this JVM, under the same worker name) cannot overwrite the newer one's.
 * What each send came to is written by {@link SendOutcomes}.
 * <p>
 * A compensation run drains due tasks over several lanes at once. Each lane leases a page in one statement. Tasks
 * sent one after the other (HTTP) are at most as many as fit in the lease with one send window to spare
 * ({@code lease / sendWindow - 1}, at least one, at most the page size), so every task is still leased for the whole
 * of its send, and a task whose lease would run out before its send could end is released unsent at once
 * ({@link INotifyTaskStore#release}), so the next claim takes it with a fresh lease. MQ tasks
 * of the page are published together and their confirms awaited together, all within one {@code batchWindow} (the
 * confirm timeout, plus a connect), so they fill the rest of the page; the batch is sent only if that window still
 * fits in the lease. The page's outcomes are then recorded in one transaction, each under its own task's fencing
 * token. #19 ({@link DeliverySettings#httpConcurrency}): a page's HTTP tasks go to the gateway together, several in
 * flight at once, so a lease takes that many times as many; each send still starts only while its send window fits
 * in the lease.
 */
@Slf4j
public class DueCallbackDeliveryService {

    private static final BooleanSupplier NEVER = () -> false;

    private final INotifyTaskStore store;
    private final INotifyGateway gateway;
    private final Clock clock;
    private final String worker;
    private final DeliverySettings settings;
    private final Executor runExecutor;
    /** The instance's stop: a run claims no further page and starts no further send once it began. */
    private final RunStop stop;
    /** What each send came to, written to the store. */
    private final SendOutcomes sendOutcomes;

    /**
     * A run drains due tasks over the settings' lanes on {@code runExecutor} (one lane runs on the calling thread:
     * {@code Runnable::run} will do). The executor must not reject (a run waits for the lanes it started). Runs
     * ({@link #deliverDueOfShard}) end at {@code stop}: no further page claimed, no further send of a page started, and
     * what a page did not send put back at once, unsent and no try used ({@link INotifyTaskStore#deferAll}), so
     * another instance takes it without waiting out its lease. The deliveries handed over after a commit are not runs:
     * their own stop lets them finish.
     */
    public DueCallbackDeliveryService(
            INotifyTaskStore store,
            INotifyGateway gateway,
            NotifyBackoff backoff,
            Clock clock,
            String worker,
            DeliverySettings settings,
            Executor runExecutor,
            RunStop stop) {
        this.store = store;
        this.gateway = gateway;
        this.clock = clock;
        this.worker = worker;
        this.settings = settings;
        this.runExecutor = runExecutor;
        this.stop = stop;
        this.sendOutcomes = new SendOutcomes(store, backoff, clock, settings);
    }

    /** All due tasks (one shard of one). */
    public NotifyRunSummary deliverAllDue() {
        return deliverDueOfShard(0, 1);
    }

    /**
     * Due tasks of this shard, batch by batch on every lane, until none is left or the run's budget is spent. A run
     * takes only the tasks due when it started: none it put back unsent itself (#17: a breaker, a bulkhead, our broker
     * blocking us; each put back to wait a while), which the next run takes once that wait is over. Taking every task
     * due at each claim, a run that went on past such a wait took the tasks it had put back again, refused and put them
     * back again, round after round, a claim and a write each, no try used: the wait was counted from when their page
     * gave them up, and a page of ~2,000 MQ callbacks into our broker's block took longer than its 5 s to put back one
     * by one under load (each put back 6 times in one 48 s run).
     */
    public NotifyRunSummary deliverDueOfShard(int shardIndex, int shardTotal) {
        Instant started = Instant.now(clock);
        Instant deadline = started.plus(settings.runBudget());
        int lanes = settings.lanes();
        if (lanes == 1) {
            return drainLane(shardIndex, shardTotal, started, deadline);
        }
        List<CompletableFuture<NotifyRunSummary>> running = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            running.add(CompletableFuture.supplyAsync(
                    () -> drainLane(shardIndex, shardTotal, started, deadline), runExecutor));
        }
        // Every lane ends before the run goes on or fails, so no lane outlives the run that started it.
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        NotifyRunSummary summary = NotifyRunSummary.empty();
        for (CompletableFuture<NotifyRunSummary> lane : running) {
            try {
                summary = summary.plus(lane.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return summary;
    }

    /** The team's owed tasks now, whatever their next-attempt time: an operator's re-drive. */
    public NotifyRunSummary deliverTeamNow(String teamId) {
        return deliverEach(store.pendingTaskIdsOfTeam(teamId), true, null);
    }

    /**
     * Delivers those of these tasks that are due and that this worker can lease, as one page: one claim, the MQ tasks
     * and close checks published together, one write of the outcomes. Used for close checks handed over in batches
     * right after their locks committed (#15).
     */
    public NotifyRunSummary deliverNow(List<Long> taskIds) {
        Instant now = Instant.now(clock);
        Instant leaseUntil = now.plus(settings.lease());
        List<NotifyTaskVO> claimed = store.claimAll(taskIds, worker, now, leaseUntil);
        return claimed.isEmpty() ? NotifyRunSummary.empty() : deliverClaimed(claimed, leaseUntil, null, NEVER, false);
    }

    /**
     * A lease of this worker under {@code token} from now, for tasks to be written already leased and delivered by
     * {@link #deliverLeased} (#15: the relay's close checks): as long as a claim's.
     */
    public NotifyLease leaseFromNow(String token) {
        return new NotifyLease(worker, token, Instant.now(clock).plus(settings.lease()));
    }

    /**
     * Delivers tasks written already leased ({@link #leaseFromNow}) as one page, without claiming them: their writer's
     * transaction was the claim. Each outcome is written under the task's own token as after a claim, so a task whose
     * lease ran out and was taken over meanwhile keeps the newer claimant's outcome. {@code leaseUntil}: the earliest
     * end of the tasks' leases (the page is sent only if its confirms fit before it).
     */
    public NotifyRunSummary deliverLeased(List<NotifyTaskVO> tasks, Instant leaseUntil) {
        return deliverLeased(tasks, leaseUntil, null);
    }

    /**
     * {@link #deliverLeased(List, Instant)}, the outcomes handed to {@code recorder} instead of written here (#19: the
     * after-commit deliveries, whose outcomes nobody waits for); null: written here. The summary then counts only the
     * tasks not sent (the recorder's write logs the others).
     */
    public NotifyRunSummary deliverLeased(
            List<NotifyTaskVO> tasks, Instant leaseUntil, INotifyAttemptRecorder recorder) {
        return tasks.isEmpty() ? NotifyRunSummary.empty() : deliverClaimed(tasks, leaseUntil, recorder, NEVER, false);
    }

    /** Delivers one task if it is due and this worker can lease it; used right after settlement commits. */
    public NotifyRunSummary deliver(long taskId) {
        return deliver(taskId, null);
    }

    /** {@link #deliver(long)}, the outcome handed to {@code recorder} (null: written here), as in deliverLeased. */
    public NotifyRunSummary deliver(long taskId, INotifyAttemptRecorder recorder) {
        return deliverEach(List.of(taskId), false, recorder);
    }

    /**
     * One lane: lease a page of tasks due by the run's start, send it, and again, until none is left or the budget is
     * spent.
     */
    private NotifyRunSummary drainLane(int shardIndex, int shardTotal, Instant started, Instant deadline) {
        NotifyRunSummary summary = NotifyRunSummary.empty();
        while (Instant.now(clock).isBefore(deadline)) {
            // A stopped job (the console's "stop", or the job's timeout, interrupts the thread running it; with one
            // lane that is this lane) claims nothing more. Going on, it leased page after page until its budget, and
            // each MQ page's wait for its confirms ended at once on the interrupt: callbacks the broker took were
            // recorded as failed attempts, a try used each, and sent again. What is left stays due for the next run.
            if (Thread.currentThread().isInterrupted()) {
                log.warn(
                        "notify run shard={}/{} stopped (its thread was interrupted): no further page claimed",
                        shardIndex,
                        shardTotal);
                break;
            }
            if (stop.stopping()) {
                log.info("notify run shard={}/{} ends: the instance is stopping", shardIndex, shardTotal);
                break;
            }
            Instant now = Instant.now(clock);
            Instant leaseUntil = now.plus(settings.lease());
            List<NotifyTaskVO> batch = store.claimDue(
                    now,
                    started,
                    shardIndex,
                    shardTotal,
                    settings.pageSize(),
                    settings.claimBatch(),
                    worker,
                    leaseUntil);
            if (batch.isEmpty()) {
                break;
            }
            summary = summary.plus(deliverClaimed(batch, leaseUntil, null, stop::stopping, true));
        }
        return summary;
    }

    private NotifyRunSummary deliverEach(List<Long> ids, boolean ignoreSchedule, INotifyAttemptRecorder recorder) {
        NotifyRunSummary summary = NotifyRunSummary.empty();
        for (long id : ids) {
            Instant now = Instant.now(clock);
            Instant leaseUntil = now.plus(settings.lease());
            NotifyTaskVO task = store.claim(id, worker, now, leaseUntil, ignoreSchedule);
            if (task != null) {
                summary = summary.plus(deliverClaimed(List.of(task), leaseUntil, recorder, NEVER, false));
            }
        }
        return summary;
    }

    /**
     * Sends a claimed page and records it: the tasks sent one by one first (each only if its send window still fits
     * in the lease), then the MQ tasks together (only if the batch window fits in what is left of the lease), then
     * every outcome in one write, each under the task's own fencing token (or, with a {@code recorder}, handed to it
     * to be written later, with other deliveries' outcomes). Once {@code stopped} holds, no further send starts and
     * what is left is put back. What the page puts back unsent (refused, or left at a stop) is written once its sends
     * are over, in one store call ({@link SendOutcomes#putBackAll}), before its outcomes. A page of a run
     * ({@code runPage}) goes to the gateway together however few its HTTP tasks, so that even its one task waits behind
     * the other lanes' sends to its endpoint instead of being refused by the bulkhead they hold (sent on this thread, a
     * lane's last task of a backlog was put back for a second); a hand-off's single task is sent on the caller's
     * thread.
     */
    private NotifyRunSummary deliverClaimed(
            List<NotifyTaskVO> tasks,
            Instant leaseUntil,
            INotifyAttemptRecorder recorder,
            BooleanSupplier stopped,
            boolean runPage) {
        List<NotifyTaskVO> batch = new ArrayList<>();
        List<NotifyAttemptOutcome> outcomes = new ArrayList<>(tasks.size());
        List<NotifyPutBack> putBacks = new ArrayList<>();
        NotifyRunSummary unsent = NotifyRunSummary.empty();
        OwnFaultsOfPage ownFaults = new OwnFaultsOfPage();
        List<NotifyTaskVO> each = new ArrayList<>();
        for (NotifyTaskVO task : tasks) {
            if (task.isMq() || NotifyTarget.DELAY.equals(task.getNotifyType())) {
                batch.add(task);
            } else {
                each.add(task);
            }
        }
        // A run's page goes together whatever its size (see above); a hand-off's tasks only when there are several.
        boolean together = runPage ? !each.isEmpty() : each.size() > 1;
        if (settings.httpConcurrency() > 1 && together) {
            unsent = unsent.plus(sendTogether(each, leaseUntil, outcomes, putBacks, stopped, ownFaults));
            each = List.of();
        }
        for (NotifyTaskVO task : each) {
            // A send that could outlast the lease might overlap another claimant's: leave it to the next lease.
            Duration budget = settings.sendBudget().of(task);
            if (stopped.getAsBoolean() || Instant.now(clock).plus(budget).isAfter(leaseUntil)) {
                unsent = unsent.plus(sendOutcomes.notSent(task, budget, stopped, putBacks));
                continue;
            }
            Instant attemptTime = Instant.now(clock);
            sendOutcomes.take(task, attemptTime, ownFaults.seen(gateway.sendContained(task)), outcomes, putBacks);
        }
        if (!batch.isEmpty()) {
            Duration batchWindow = settings.batchWindow();
            Instant attemptTime = Instant.now(clock);
            if (stopped.getAsBoolean()) {
                for (NotifyTaskVO task : batch) {
                    putBacks.add(sendOutcomes.stopped(task));
                }
            } else if (attemptTime.plus(batchWindow).isAfter(leaseUntil)) {
                log.warn(
                        "notify batch of {} MQ tasks / close checks (first task={}) not sent: the lease ends before the batch's "
                                + "confirms could",
                        batch.size(),
                        batch.get(0).getId());
                for (NotifyTaskVO task : batch) {
                    unsent = unsent.plus(sendOutcomes.notSent(task, batchWindow, stopped, putBacks));
                }
            } else {
                List<DeliveryResult> results = sentOrThrown(
                        batch,
                        () -> gateway.deliverAll(batch),
                        task -> !Instant.now(clock).plus(batchWindow).isAfter(leaseUntil));
                for (int i = 0; i < batch.size(); i++) {
                    if (results.get(i) == null) {
                        unsent = unsent.plus(sendOutcomes.notSent(batch.get(i), batchWindow, stopped, putBacks));
                        continue;
                    }
                    sendOutcomes.take(batch.get(i), attemptTime, ownFaults.seen(results.get(i)), outcomes, putBacks);
                }
            }
        }
        ownFaults.warn(log, tasks.size());
        unsent = unsent.plus(sendOutcomes.putBackAll(putBacks));
        if (recorder != null) {
            if (!outcomes.isEmpty()) {
                recorder.record(outcomes);
            }
            return unsent;
        }
        return sendOutcomes.recordAttempts(outcomes).plus(unsent);
    }

    /**
     * #19: the page's HTTP callbacks handed to the gateway together; each is sent only if its own budget still fits in
     * the lease when it starts. One attempt time for the page, as for an MQ batch, so a page the partner acknowledged
     * is finished in one statement.
     */
    private NotifyRunSummary sendTogether(
            List<NotifyTaskVO> tasks,
            Instant leaseUntil,
            List<NotifyAttemptOutcome> outcomes,
            List<NotifyPutBack> putBacks,
            BooleanSupplier stopped,
            OwnFaultsOfPage ownFaults) {
        Instant attemptTime = Instant.now(clock);
        Predicate<NotifyTaskVO> mayStart = task -> !stopped.getAsBoolean()
                && !Instant.now(clock).plus(settings.sendBudget().of(task)).isAfter(leaseUntil);
        List<DeliveryResult> results = sentOrThrown(tasks, () -> gateway.deliverEach(tasks, mayStart), mayStart);
        NotifyRunSummary unsent = NotifyRunSummary.empty();
        for (int i = 0; i < tasks.size(); i++) {
            NotifyTaskVO task = tasks.get(i);
            if (results.get(i) == null) {
                unsent = unsent.plus(
                        sendOutcomes.notSent(task, settings.sendBudget().of(task), stopped, putBacks));
                continue;
            }
            sendOutcomes.take(task, attemptTime, ownFaults.seen(results.get(i)), outcomes, putBacks);
        }
        return unsent;
    }

    /**
     * The results of a send of several tasks at once. If that call threw, its tasks are sent again one by one, each
     * only while {@code mayStart} holds for it (null: not sent), so a throw that one task's input caused fails that task alone:
     * thrown, it failed the whole page — none of its outcomes was recorded, the run threw, and the same tasks were
     * taken again at every run, their callbacks never delivered. The channels already contain one task's throw to that
     * task ({@link INotifyGateway#sendContained}); this holds whatever channel or bug throws. Tasks of the call sent
     * before it threw are sent again (at least once, as any unrecorded send; the partner deduplicates by webhook-id).
     */
    private List<DeliveryResult> sentOrThrown(
            List<NotifyTaskVO> tasks, Supplier<List<DeliveryResult>> send, Predicate<NotifyTaskVO> mayStart) {
        try {
            return send.get();
        } catch (RuntimeException e) {
            log.error(
                    "notify send of {} tasks (first task={}) threw; they are sent one by one",
                    tasks.size(),
                    tasks.get(0).getId(),
                    e);
            List<DeliveryResult> results = new ArrayList<>(tasks.size());
            for (NotifyTaskVO task : tasks) {
                results.add(mayStart.test(task) ? gateway.sendContained(task) : null);
            }
            return results;
        }
    }

    /**
     * Writes attempts' outcomes in one transaction and logs each ({@link SendOutcomes#recordAttempts}): what an
     * {@link INotifyAttemptRecorder} calls with the outcomes handed to it.
     */
    public NotifyRunSummary recordAttempts(List<NotifyAttemptOutcome> outcomes) {
        return sendOutcomes.recordAttempts(outcomes);
    }
}
