package com.groupbuy.market.infrastructure.dao;

import com.groupbuy.market.infrastructure.dao.po.NotifyTaskPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** Statements on notify_task (the callback outbox). */
@Mapper
public interface INotifyTaskDao {

    /** Inserts unless the task key exists; returns rows inserted (0 or 1). */
    int insertIgnore(NotifyTaskPO task);

    Long queryIdByTaskKey(@Param("taskKey") String taskKey);

    NotifyTaskPO queryById(@Param("id") long id);

    /** Takes the lease on a due task; 0 rows when it is done, not due, or leased by another live worker. */
    int claim(@Param("id") long id, @Param("worker") String worker, @Param("now") Instant now,
              @Param("leaseUntil") Instant leaseUntil, @Param("ignoreSchedule") boolean ignoreSchedule);

    /** Records the outcome of an attempt made under this worker's lease and releases it. */
    int finishAttempt(@Param("id") long id, @Param("worker") String worker, @Param("status") int status,
                      @Param("nextAttemptTime") Instant nextAttemptTime, @Param("lastError") String lastError);

    /** Ids of due tasks, oldest first, in this shard (id mod total = index); a bounded page. */
    List<Long> queryDueIds(@Param("now") Instant now, @Param("shardIndex") int shardIndex,
                           @Param("shardTotal") int shardTotal, @Param("limit") int limit);

    List<Long> queryPendingIdsByTeam(@Param("teamId") String teamId);

    void insertAttempt(@Param("taskId") long taskId, @Param("attemptNo") int attemptNo,
                       @Param("attemptTime") Instant attemptTime, @Param("httpStatus") Integer httpStatus,
                       @Param("latencyMs") long latencyMs, @Param("success") boolean success,
                       @Param("error") String error);
}
