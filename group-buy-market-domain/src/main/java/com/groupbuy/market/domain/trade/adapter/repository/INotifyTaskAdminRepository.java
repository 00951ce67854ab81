package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskSummaryVO;

import java.time.Instant;
import java.util.List;

/** What operators read and change in the outbox. */
public interface INotifyTaskAdminRepository {

    /** A page of tasks, newest first, filtered by status and/or team when given. */
    List<NotifyTaskSummaryVO> listTasks(Integer status, String teamId, int offset, int limit);

    NotifyTaskSummaryVO queryTask(long taskId);

    List<NotifyAttemptVO> listAttempts(long taskId);

    /** FAIL → RETRY due at {@code now}; false when the task is not FAIL any more. */
    boolean redriveFailed(long taskId, Instant now);

    /** Tasks owed and due now: the backlog operators watch. */
    long countDue(Instant now);
}
