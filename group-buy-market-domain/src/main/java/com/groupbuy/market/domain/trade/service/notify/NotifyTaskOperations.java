package com.groupbuy.market.domain.trade.service.notify;

import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskAdminRepository;
import com.groupbuy.market.domain.trade.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** What an operator may do with callback tasks: look, and give a failed task another round of attempts. */
@Slf4j
@Service
public class NotifyTaskOperations {

    private static final int MAX_PAGE = 200;

    private final INotifyTaskAdminRepository repository;
    private final Clock clock;

    public NotifyTaskOperations(INotifyTaskAdminRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public List<NotifyTaskSummaryVO> list(Integer status, String teamId, int page, int size) {
        int limit = Math.max(1, Math.min(MAX_PAGE, size));
        return repository.listTasks(status, teamId, Math.max(0, page) * limit, limit);
    }

    public List<NotifyAttemptVO> attempts(long taskId) {
        requireTask(taskId);
        return repository.listAttempts(taskId);
    }

    /** A FAIL task goes back to RETRY, due now; its attempt count and history stay. */
    public NotifyTaskSummaryVO redrive(long taskId) {
        NotifyTaskSummaryVO task = requireTask(taskId);
        if (!repository.redriveFailed(taskId, Instant.now(clock))) {
            throw new AppException(ResponseCode.E0302, "only a failed task can be re-driven; task " + taskId
                    + " has status " + task.notifyStatus());
        }
        log.info("notify task={} team={} re-driven by an operator", taskId, task.teamId());
        return repository.queryTask(taskId);
    }

    private NotifyTaskSummaryVO requireTask(long taskId) {
        NotifyTaskSummaryVO task = repository.queryTask(taskId);
        if (task == null) {
            throw new AppException(ResponseCode.E0301, "notify task " + taskId + " not found");
        }
        return task;
    }
}
