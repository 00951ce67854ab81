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
import java.util.List;

/**
 * Delivers callback tasks. A worker first leases a task (so no two workers send it at the same moment, and a task
 * whose worker died is taken again once the lease runs out), then posts it, then records the attempt: SUCCESS, or
 * RETRY at the backoff's next time, or FAIL past the schedule. Transport errors are attempts like any other.
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

    public SettlementNotifyService(INotifyTaskStore store, INotifyGateway gateway, NotifyBackoff backoff, Clock clock,
                                   String worker, Duration lease, int pageSize, Duration runBudget) {
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
            NotifyRunSummary page = deliverAll(ids, false);
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
