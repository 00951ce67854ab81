package com.groupbuy.market.infrastructure.adapter.repository;

import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.dao.po.NotifyTaskPO;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Leases (each under a fresh fencing token) and attempt records on notify_task / notify_attempt. */
@Repository
public class NotifyTaskStore implements INotifyTaskStore {

    private static final int MAX_ERROR = 500;
    /** Candidates read per task wanted, so a batch fills even when other claimants took some meanwhile. */
    private static final int CANDIDATES_PER_TASK = 2;
    private static final int MAX_CLAIM_ROUNDS = 5;

    private final INotifyTaskDao dao;
    private final TransactionTemplate transaction;
    /** Read committed: the batch claim's locking read takes no gap locks, so it never holds up settlements' inserts. */
    private final TransactionTemplate claimTransaction;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter failedTasks;
    private final NotifyAttemptMeter attempts;

    public NotifyTaskStore(INotifyTaskDao dao, TransactionTemplate transaction, MeterRegistry meters) {
        this.dao = dao;
        this.transaction = transaction;
        this.claimTransaction = new TransactionTemplate(transaction.getTransactionManager());
        this.claimTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.delivered = Counter.builder("gbm.notify.deliveries").description("callbacks acknowledged").register(meters);
        this.failedAttempts = Counter.builder("gbm.notify.failed.attempts").description("callback attempts that failed").register(meters);
        this.failedTasks = Counter.builder("gbm.notify.failed.tasks").description("tasks that reached FAIL").register(meters);
        this.attempts = new NotifyAttemptMeter(meters);
    }

    @Override
    public List<NotifyTaskVO> claimDue(Instant now, int shardIndex, int shardTotal, int limit, String worker,
                                       Instant leaseUntil) {
        String token = UUID.randomUUID().toString();
        List<Long> ids = List.of();
        // Candidates are read without locks, then locked by primary key skipping what others hold. When others took
        // every candidate meanwhile, read again: each such round means another claimant made progress.
        for (int round = 0; round < MAX_CLAIM_ROUNDS && ids.isEmpty(); round++) {
            List<Long> candidates = dao.queryDueIds(now, shardIndex, shardTotal, limit * CANDIDATES_PER_TASK);
            if (candidates.isEmpty()) {
                return List.of();
            }
            ids = claimTransaction.execute(status -> {
                List<Long> locked = dao.lockStillDue(candidates, now, limit);
                if (!locked.isEmpty()) {
                    dao.leaseAll(locked, worker, token, leaseUntil);
                }
                return locked;
            });
        }
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        return dao.queryByIds(ids).stream().map(NotifyTaskStore::toTask).toList();
    }

    @Override
    public List<Long> pendingTaskIdsOfTeam(String teamId) {
        return dao.queryPendingIdsByTeam(teamId);
    }

    @Override
    public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
        if (dao.claim(taskId, worker, UUID.randomUUID().toString(), now, leaseUntil, ignoreSchedule) == 0) {
            return null;
        }
        return toTask(dao.queryById(taskId));
    }

    @Override
    public boolean finishAttempt(NotifyTaskVO task, Instant attemptTime, DeliveryResult result, int newStatus,
                                 Instant nextAttemptTime) {
        String error = result.error() == null ? null
                : result.error().substring(0, Math.min(MAX_ERROR, result.error().length()));
        Boolean ours = transaction.execute(status -> {
            // The lease may have run out and another claimant taken the task: then this outcome is not ours to write.
            if (dao.finishAttempt(task.getId(), task.getClaimToken(), newStatus, nextAttemptTime, error) != 1) {
                return false;
            }
            dao.insertAttempt(task.getId(), task.getNotifyCount() + 1, attemptTime, result.httpStatus(),
                    result.latencyMs(), result.delivered(), error);
            return true;
        });
        (result.delivered() ? delivered : failedAttempts).increment();
        attempts.record(task, result);
        if (Boolean.TRUE.equals(ours) && newStatus == NotifyTaskVO.FAIL) {
            failedTasks.increment();
        }
        return Boolean.TRUE.equals(ours);
    }

    private static NotifyTaskVO toTask(NotifyTaskPO po) {
        return NotifyTaskVO.builder().id(po.getId()).webhookId(po.getWebhookId()).teamId(po.getTeamId())
                .source(po.getSource()).channel(po.getChannel()).notifyCategory(po.getNotifyCategory())
                .notifyType(po.getNotifyType()).notifyMq(po.getNotifyMq())
                .notifyUrl(po.getNotifyUrl()).body(po.getParameterJson()).notifyCount(po.getNotifyCount())
                .claimToken(po.getClaimToken()).build();
    }
}
