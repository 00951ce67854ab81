package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyAttemptRecorder;
import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.extern.slf4j.Slf4j;

/**
 * Delivers a just-committed task on a bounded pool so the settlement answer never waits for the partner. When the
 * pool is full the hand-off is dropped on purpose: the task is already in the outbox and the compensation job will
 * deliver it.
 * <p>
 * Close checks (#15) take another way: every lock writes one, and one claim, publish, confirm wait and finish per lock
 * on the shared pool cost the lock benchmark about a fifth of its CPU and filled the pool (the rest waited for the
 * compensation job). A lock only queues its checks here; one relay thread takes whatever has queued meanwhile, up to a
 * page, and delivers it as one page (one confirm wait, one write of the outcomes). Checks beyond the bound of the
 * queue are left to the compensation job, like a full pool's tasks.
 * <p>
 * The relay gives each lock a lease ({@link #closeCheckLease}, one fencing token for this relay) that the lock writes
 * its checks under, so its own transaction is their claim: the relay publishes them without a claim transaction, and
 * the compensation job, which takes due tasks every few seconds, leaves them alone until the lease ends. Before, when
 * the relay lagged behind a burst of locks, the job published some of the queued checks itself, beside the relay; two
 * publishers interleaved checks of different deadlines in one delay lane, and a lane expires only at its head, so an
 * earlier deadline waited behind a later one (up to the relay's lag).
 * <p>
 * #19: with a {@link NotifyAttemptRecorder}, a callback handed over here is still sent at once on the pool, but its
 * outcome is queued to the recorder, which writes several deliveries' outcomes in one transaction; without one, each
 * delivery records its own.
 */
@Slf4j
public class NotifyDispatcher implements INotifyDispatcher {

    /** A check handed over: written under the relay's lease ({@code task} set) or only by id (claimed first). */
    private record Queued(long id, NotifyTaskVO task, Instant leaseUntil) {}

    private final ExecutorService executor;
    private final DueCallbackDeliveryService notifyService;
    private final ExecutorService relay;
    private final int relayPage;
    private final int relayBound;
    /** The fencing token of every lease this relay gives: only this relay finishes tasks under it. */
    private final String relayToken = UUID.randomUUID().toString();
    /** The fencing token of every lease this dispatcher gives a completing settlement's callback (#19). */
    private final String callbackToken = UUID.randomUUID().toString();

    /** Records the outcomes of the callbacks handed over here (#19); null: each delivery records its own. */
    private final INotifyAttemptRecorder recorder;

    private final ConcurrentLinkedQueue<Queued> closeChecks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean relaying = new AtomicBoolean();

    public NotifyDispatcher(ExecutorService executor, DueCallbackDeliveryService notifyService) {
        this(executor, notifyService, null, 0, 0);
    }

    /** {@code relay} runs the close-check relay (one task at a time); null: close checks go as other tasks do. */
    public NotifyDispatcher(
            ExecutorService executor,
            DueCallbackDeliveryService notifyService,
            ExecutorService relay,
            int relayPage,
            int relayBound) {
        this(executor, notifyService, relay, relayPage, relayBound, null);
    }

    /** {@code recorder} records the callbacks' outcomes (#19); null: each delivery records its own. */
    public NotifyDispatcher(
            ExecutorService executor,
            DueCallbackDeliveryService notifyService,
            ExecutorService relay,
            int relayPage,
            int relayBound,
            INotifyAttemptRecorder recorder) {
        this.recorder = recorder;
        this.executor = executor;
        this.notifyService = notifyService;
        this.relay = relay;
        this.relayPage = relayPage;
        this.relayBound = relayBound;
    }

    @Override
    public void dispatchAsync(long taskId) {
        handOver(taskId, () -> notifyService.deliver(taskId, recorder), "");
    }

    /**
     * Runs a task's delivery on the dispatch pool; a failure or a full pool leaves it to the compensation job ({@code
     * when}: after what, for a leased task).
     */
    private void handOver(long taskId, Runnable delivery, String when) {
        try {
            executor.execute(() -> {
                try {
                    delivery.run();
                } catch (RuntimeException e) {
                    log.warn("notify task={} immediate delivery failed; the job will retry it{}", taskId, when, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("notify task={} left to the compensation job{} (dispatch pool full)", taskId, when);
        }
    }

    /**
     * None while the dispatch pool's queue is full: a callback leased and then refused by the pool would wait for its
     * lease to end before the compensation job could take it (the check and the hand-over are not atomic, so that can
     * still happen to a few, which then wait the lease out; none is lost).
     */
    @Override
    public NotifyLease callbackLease() {
        if (executor.isShutdown()
                || (executor instanceof ThreadPoolExecutor pool
                        && pool.getQueue().remainingCapacity() == 0)) {
            return null;
        }
        return notifyService.leaseFromNow(callbackToken);
    }

    @Override
    public void dispatchLeased(NotifyTaskVO task, NotifyLease lease) {
        handOver(
                task.getId(),
                () -> notifyService.deliverLeased(List.of(task), lease.until(), recorder),
                " once its lease ends");
    }

    /**
     * None without a relay, or while its queue is full (such checks are written unleased, so the compensation job can
     * take them at once).
     */
    @Override
    public NotifyLease closeCheckLease() {
        if (relay == null || relay.isShutdown() || queued.get() >= relayBound) {
            return null;
        }
        return notifyService.leaseFromNow(relayToken);
    }

    @Override
    public void dispatchCloseChecks(List<Long> taskIds) {
        if (relay == null) {
            INotifyDispatcher.super.dispatchCloseChecks(taskIds);
            return;
        }
        for (long id : taskIds) {
            offer(new Queued(id, null, null));
        }
        startRelay();
    }

    @Override
    public void dispatchLeasedCloseChecks(List<NotifyTaskVO> checks, NotifyLease lease) {
        if (relay == null) {
            // Not ours (we give no lease without a relay): the compensation job takes them once the lease ends.
            return;
        }
        for (NotifyTaskVO check : checks) {
            offer(new Queued(check.getId(), check, lease.until()));
        }
        startRelay();
    }

    private void offer(Queued check) {
        if (queued.incrementAndGet() > relayBound) {
            queued.decrementAndGet();
            log.info(
                    "close check task={} left to the compensation job (relay queue full{})",
                    check.id(),
                    check.task() == null ? "" : "; once its lease ends");
            return;
        }
        closeChecks.offer(check);
    }

    private void startRelay() {
        if (relaying.compareAndSet(false, true)) {
            try {
                relay.execute(this::relayCloseChecks);
            } catch (RejectedExecutionException e) {
                relaying.set(false);
                log.info("close checks left to the compensation job (relay stopped)");
            }
        }
    }

    /** Pages of queued close checks until none is left; a check queued while the last page went out is not missed. */
    private void relayCloseChecks() {
        while (true) {
            List<NotifyTaskVO> leased = new ArrayList<>(Math.min(relayPage, Math.max(1, queued.get())));
            List<Long> byId = new ArrayList<>();
            Instant leaseUntil = null;
            Queued check;
            while (leased.size() + byId.size() < relayPage && (check = closeChecks.poll()) != null) {
                if (check.task() == null) {
                    byId.add(check.id());
                    continue;
                }
                leased.add(check.task());
                if (leaseUntil == null || check.leaseUntil().isBefore(leaseUntil)) {
                    leaseUntil = check.leaseUntil();
                }
            }
            if (leased.isEmpty() && byId.isEmpty()) {
                relaying.set(false);
                if (closeChecks.isEmpty() || !relaying.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            queued.addAndGet(-(leased.size() + byId.size()));
            try {
                if (!leased.isEmpty()) {
                    notifyService.deliverLeased(leased, leaseUntil);
                }
                if (!byId.isEmpty()) {
                    notifyService.deliverNow(byId);
                }
            } catch (RuntimeException | Error e) {
                // An Error too (an OutOfMemoryError under a full heap): thrown out of the relay, it left the relay
                // marked running for good, and no close check was relayed again until a restart.
                log.warn(
                        "close checks {} not published at once; the compensation job will",
                        leased.isEmpty()
                                ? byId
                                : leased.stream().map(NotifyTaskVO::getId).toList(),
                        e);
            }
        }
    }
}
