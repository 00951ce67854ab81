package com.groupbuy.market.domain.outbox.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import java.time.Instant;
import java.util.List;

/** What operators read and change in the outbox. */
public interface INotifyTaskAdminRepository {

    /** A page of tasks, newest first, filtered by status and/or team when given. */
    List<NotifyTaskSummaryVO> listTasks(Integer status, String teamId, int offset, int limit);

    /** How many tasks {@link #listTasks} pages through. */
    long countTasks(Integer status, String teamId);

    NotifyTaskSummaryVO queryTask(long taskId);

    /** A page of a task's attempts, newest first (each operator re-drive adds a round of up to ~15). */
    List<NotifyAttemptVO> listAttempts(long taskId, int offset, int limit);

    /** FAIL → RETRY due at {@code now}; false when the task is not FAIL any more. */
    boolean redriveFailed(long taskId, Instant now);

    /**
     * Up to {@code limit} RETRY tasks not due yet and not leased become due at {@code now} (those of
     * {@code source}/{@code channel} when given, else any); returns how many.
     */
    int retryDueNow(String source, String channel, Instant now, int limit);

    /** A page of RETRY tasks not due yet (id and notify URL), in (next attempt, id) order after the given key. */
    List<NotifyTaskSummaryVO> waitingRetries(Instant now, Instant afterTime, long afterId, int limit);

    /** These RETRY tasks become due at {@code now}, unless done, due already or leased since; returns how many. */
    int makeDueNow(List<Long> taskIds, Instant now);
}
