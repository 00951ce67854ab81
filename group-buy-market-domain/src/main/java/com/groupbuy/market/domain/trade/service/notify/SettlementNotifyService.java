package com.groupbuy.market.domain.trade.service.notify;

import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import lombok.extern.slf4j.Slf4j;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Delivers callback tasks. A worker first leases a task (so no two workers send it at the same moment, and a task
 * whose worker died is taken again once the lease runs out), then posts it, then records the attempt: SUCCESS, or
 * RETRY at the backoff's next time, or FAIL past the schedule. Transport errors are attempts like any other.
 * A compensation run may deliver a page over several lanes at once: each task is still leased before it is sent,
 * so lanes, like workers, never send one task at the same time.
 */
@Slf4j
public class SettlementNotifyService {

    private final INotifyTaskStore store;
    private final INotifyGateway gateway;
    private final NotifyBackoff backoff;
    private final Clock clock;
    private final String worker;
    private final Duration lease;
    private final int pageSize;
    private final Duration runBudget;
    private final Executor runExecutor;
    private final int runLanes;

    /** One lane: a run delivers its tasks one after the other on the calling thread. */
    public SettlementNotifyService(INotifyTaskStore store, INotifyGateway gateway, NotifyBackoff backoff, Clock clock,
                                   String worker, Duration lease, int pageSize, Duration runBudget) {
        this(store, gateway, backoff, clock, worker, lease, pageSize, runBudget, Runnable::run, 1);
    }

    /**
     * A run delivers each page over up to {@code runLanes} lanes on {@code runExecutor}: one lane is bound by the
     * partner's round trip, not by CPU. The executor must not reject (a run waits for the lanes it started).
     */
    public SettlementNotifyService(INotifyTaskStore store, INotifyGateway gateway, NotifyBackoff backoff, Clock clock,
                                   String worker, Duration lease, int pageSize, Duration runBudget,
                                   Executor runExecutor, int runLanes) {
        if (runLanes < 1) {
            throw new IllegalArgumentException("runLanes must be at least 1");
        }
        this.runExecutor = runExecutor;
        this.runLanes = runLanes;
        this.store = store;
        this.gateway = gateway;
        this.backoff = backoff;
        this.clock = clock;
        this.worker = worker;
        this.lease = lease;
        this.pageSize = pageSize;
        this.runBudget = runBudget;
    }

    /** All due tasks (one shard of one). */
    public NotifyRunSummary execSettlementNotifyJob() {
        return execSettlementNotifyJob(0, 1);
    }

    /** Due tasks of this shard, page by page, until none is left or the run's time budget is spent. */
    public NotifyRunSummary execSettlementNotifyJob(int shardIndex, int shardTotal) {
        Instant deadline = Instant.now(clock).plus(runBudget);
        NotifyRunSummary summary = NotifyRunSummary.empty();
        while (Instant.now(clock).isBefore(deadline)) {
            List<Long> ids = store.dueTaskIds(Instant.now(clock), shardIndex, shardTotal, pageSize);
            if (ids.isEmpty()) {
                break;
            }
            NotifyRunSummary page = deliverPage(ids);
            summary = summary.plus(page);
            if (page.claimed() == 0) {
                break;
            }
        }
        return summary;
    }

    /** The team's owed tasks now, whatever their next-attempt time: an operator's re-drive. */
    public NotifyRunSummary execSettlementNotifyJob(String teamId) {
        return deliverAll(store.pendingTaskIdsOfTeam(teamId), true);
    }

    /** Delivers one task if it is due and this worker can lease it; used right after settlement commits. */
    public NotifyRunSummary deliver(long taskId) {
        return deliverAll(List.of(taskId), false);
    }

    private NotifyRunSummary deliverPage(List<Long> ids) {
        int lanes = Math.min(runLanes, ids.size());
        if (lanes <= 1) {
            return deliverAll(ids, false);
        }
        List<CompletableFuture<NotifyRunSummary>> running = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            List<Long> share = new ArrayList<>(ids.size() / lanes + 1);
            for (int i = lane; i < ids.size(); i += lanes) {
                share.add(ids.get(i));
            }
            running.add(CompletableFuture.supplyAsync(() -> deliverAll(share, false), runExecutor));
        }
        // Every lane ends before the run goes on or fails, so no lane outlives the run that started it.
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
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

    private NotifyRunSummary deliverAll(List<Long> ids, boolean ignoreSchedule) {
        int claimed = 0, delivered = 0, retried = 0, failed = 0;
        for (long id : ids) {
            Instant now = Instant.now(clock);
            NotifyTaskVO task = store.claim(id, worker, now, now.plus(lease), ignoreSchedule);
            if (task == null) {
                continue;
            }
            claimed++;
            switch (attempt(task)) {
                case NotifyTaskVO.SUCCESS -> delivered++;
                case NotifyTaskVO.RETRY -> retried++;
                default -> failed++;
            }
        }
        return new NotifyRunSummary(claimed, delivered, retried, failed);
    }

    private int attempt(NotifyTaskVO task) {
        Instant attemptTime = Instant.now(clock);
        DeliveryResult result = gateway.groupBuyNotify(task);
        int attemptNo = task.getNotifyCount() + 1;
        int status;
        Instant next = attemptTime;
        if (result.delivered()) {
            status = NotifyTaskVO.SUCCESS;
        } else if (backoff.retriesAfter(attemptNo)) {
            status = NotifyTaskVO.RETRY;
            next = attemptTime.plus(backoff.delayAfter(attemptNo));
        } else {
            status = NotifyTaskVO.FAIL;
        }
        store.finishAttempt(task, worker, attemptTime, result, status, next);
        log.info("notify task={} team={} attempt={} delivered={} http={} error={} next={}", task.getId(),
                task.getTeamId(), attemptNo, result.delivered(), result.httpStatus(), result.error(),
                status == NotifyTaskVO.RETRY ? next : null);
        return status;
    }
}
