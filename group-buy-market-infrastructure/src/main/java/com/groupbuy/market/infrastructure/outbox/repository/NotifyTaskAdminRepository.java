package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskAdminRepository;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskAdminDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Repository;

/** Operator views of the outbox over MyBatis. */
@Repository
public class NotifyTaskAdminRepository implements INotifyTaskAdminRepository {

    private final INotifyTaskAdminDao dao;

    public NotifyTaskAdminRepository(INotifyTaskAdminDao dao) {
        this.dao = dao;
    }

    @Override
    public List<NotifyTaskSummaryVO> listTasks(Integer status, String teamId, int offset, int limit) {
        return dao.listTasks(status, teamId, offset, limit).stream()
                .map(NotifyTaskAdminRepository::toSummary)
                .toList();
    }

    @Override
    public long countTasks(Integer status, String teamId) {
        return dao.countTasks(status, teamId);
    }

    @Override
    public NotifyTaskSummaryVO queryTask(long taskId) {
        NotifyTaskPO po = dao.queryTask(taskId);
        return po == null ? null : toSummary(po);
    }

    @Override
    public List<NotifyAttemptVO> listAttempts(long taskId, int offset, int limit) {
        return dao.listAttempts(taskId, offset, limit).stream()
                .map(a -> new NotifyAttemptVO(
                        a.getAttemptNo(),
                        a.getAttemptTime(),
                        a.getHttpStatus(),
                        a.getLatencyMs(),
                        Boolean.TRUE.equals(a.getSuccess()),
                        a.getError()))
                .toList();
    }

    @Override
    public boolean redriveFailed(long taskId, Instant now) {
        return dao.redriveFailed(
                        taskId,
                        now,
                        NotifyTaskStatus.FAIL.code(),
                        NotifyTaskStatus.FAIL.redrive().code())
                == 1;
    }

    /**
     * Read without a lock, then moved by primary key ({@code makeDueNow}): no gap of idx_status_next is locked, so a
     * run finishing failed attempts (which writes its tasks' next times into that range) never waits for this, and
     * only the rows moved are locked, in id order (NotifyWriteOrderIT). A task read here and leased (or finished)
     * before the move is left as it is now; read again, as long as each read moves something, until {@code limit} moved
     * or a read comes back short, so a page moves as many as the single UPDATE did.
     */
    @Override
    public int retryDueNow(String source, String channel, Instant now, int limit) {
        int retry = NotifyTaskStatus.RETRY.code();
        int moved = 0;
        while (moved < limit) {
            int wanted = limit - moved;
            List<Long> ids = dao.waitingRetryIds(source, channel, now, wanted, retry);
            if (ids.isEmpty()) {
                break;
            }
            int page = dao.makeDueNow(ids, now, retry);
            moved += page;
            if (page == 0 || ids.size() < wanted) {
                break;
            }
        }
        return moved;
    }

    @Override
    public List<NotifyTaskSummaryVO> waitingRetries(Instant now, Instant afterTime, long afterId, int limit) {
        return dao.waitingRetries(now, afterTime, afterId, limit, NotifyTaskStatus.RETRY.code()).stream()
                .map(NotifyTaskAdminRepository::toSummary)
                .toList();
    }

    @Override
    public int makeDueNow(List<Long> taskIds, Instant now) {
        return taskIds.isEmpty() ? 0 : dao.makeDueNow(taskIds, now, NotifyTaskStatus.RETRY.code());
    }

    private static NotifyTaskSummaryVO toSummary(NotifyTaskPO po) {
        return new NotifyTaskSummaryVO(
                po.getId(),
                po.getTeamId(),
                po.getNotifyCategory(),
                po.getNotifyUrl(),
                po.getNotifyStatus(),
                po.getNotifyCount(),
                po.getNextAttemptTime(),
                po.getLastError());
    }
}
