package com.groupbuy.market.infrastructure.adapter.repository;

import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.dao.po.NotifyTaskPO;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;

/** Leases and attempt records on notify_task / notify_attempt. */
@Repository
public class NotifyTaskStore implements INotifyTaskStore {

    private static final int MAX_ERROR = 500;

    private final INotifyTaskDao dao;
    private final TransactionTemplate transaction;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter failedTasks;

    public NotifyTaskStore(INotifyTaskDao dao, TransactionTemplate transaction, MeterRegistry meters) {
        this.dao = dao;
        this.transaction = transaction;
        this.delivered = Counter.builder("gbm.notify.deliveries").description("callbacks acknowledged").register(meters);
        this.failedAttempts = Counter.builder("gbm.notify.failed.attempts").description("callback attempts that failed").register(meters);
        this.failedTasks = Counter.builder("gbm.notify.failed.tasks").description("tasks that reached FAIL").register(meters);
    }

    @Override
    public List<Long> dueTaskIds(Instant now, int shardIndex, int shardTotal, int limit) {
        return dao.queryDueIds(now, shardIndex, shardTotal, limit);
    }

    @Override
    public List<Long> pendingTaskIdsOfTeam(String teamId) {
        return dao.queryPendingIdsByTeam(teamId);
    }

    @Override
    public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
        if (dao.claim(taskId, worker, now, leaseUntil, ignoreSchedule) == 0) {
            return null;
        }
        NotifyTaskPO po = dao.queryById(taskId);
        return NotifyTaskVO.builder().id(po.getId()).webhookId(po.getWebhookId()).teamId(po.getTeamId())
                .source(po.getSource()).channel(po.getChannel()).notifyCategory(po.getNotifyCategory())
                .notifyType(po.getNotifyType()).notifyMq(po.getNotifyMq())
                .notifyUrl(po.getNotifyUrl()).body(po.getParameterJson()).notifyCount(po.getNotifyCount()).build();
    }

    @Override
    public void finishAttempt(NotifyTaskVO task, String worker, Instant attemptTime, DeliveryResult result,
                              int newStatus, Instant nextAttemptTime) {
        String error = result.error() == null ? null
                : result.error().substring(0, Math.min(MAX_ERROR, result.error().length()));
        transaction.executeWithoutResult(status -> {
            // The lease may have run out and another worker taken the task: then this outcome is not ours to write.
            if (dao.finishAttempt(task.getId(), worker, newStatus, nextAttemptTime, error) == 1) {
                dao.insertAttempt(task.getId(), task.getNotifyCount() + 1, attemptTime, result.httpStatus(),
                        result.latencyMs(), result.delivered(), error);
            }
        });
        (result.delivered() ? delivered : failedAttempts).increment();
        if (newStatus == NotifyTaskVO.FAIL) {
            failedTasks.increment();
        }
    }
}
