package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
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
 * page, and delivers it as one page (one claim, one confirm wait, one write of the outcomes). Checks beyond the bound
 * of the queue are left to the compensation job, like a full pool's tasks.
 */
@Slf4j
public class NotifyDispatcher implements INotifyDispatcher {

    private final ExecutorService executor;
    private final DueCallbackDeliveryService notifyService;
    private final ExecutorService relay;
    private final int relayPage;
    private final int relayBound;
    private final ConcurrentLinkedQueue<Long> closeChecks = new ConcurrentLinkedQueue<>();
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
        this.executor = executor;
        this.notifyService = notifyService;
        this.relay = relay;
        this.relayPage = relayPage;
        this.relayBound = relayBound;
    }

    @Override
    public void dispatchAsync(long taskId) {
        try {
            executor.execute(() -> {
                try {
                    notifyService.deliver(taskId);
                } catch (RuntimeException e) {
                    log.warn("notify task={} immediate delivery failed; the job will retry it", taskId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("notify task={} left to the compensation job (dispatch pool full)", taskId);
        }
    }

    @Override
    public void dispatchCloseChecks(List<Long> taskIds) {
        if (relay == null) {
            INotifyDispatcher.super.dispatchCloseChecks(taskIds);
            return;
        }
        for (long id : taskIds) {
            if (queued.incrementAndGet() > relayBound) {
                queued.decrementAndGet();
                log.info("close check task={} left to the compensation job (relay queue full)", id);
                continue;
            }
            closeChecks.offer(id);
        }
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
            List<Long> page = new ArrayList<>(Math.min(relayPage, Math.max(1, queued.get())));
            Long id;
            while (page.size() < relayPage && (id = closeChecks.poll()) != null) {
                page.add(id);
            }
            if (page.isEmpty()) {
                relaying.set(false);
                if (closeChecks.isEmpty() || !relaying.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            queued.addAndGet(-page.size());
            try {
                notifyService.deliverNow(page);
            } catch (RuntimeException e) {
                log.warn("close checks {} not published at once; the compensation job will", page, e);
            }
        }
    }
}
