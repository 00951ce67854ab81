package com.groupbuy.market.infrastructure.outbox.dao;

import com.groupbuy.market.infrastructure.outbox.po.NotifyAttemptPO;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Operator reads, the re-drive and "deliver now" of notify_task. */
@Mapper
public interface INotifyTaskAdminDao {

    List<NotifyTaskPO> listTasks(
            @Param("status") Integer status,
            @Param("teamId") String teamId,
            @Param("offset") int offset,
            @Param("limit") int limit);

    long countTasks(@Param("status") Integer status, @Param("teamId") String teamId);

    NotifyTaskPO queryTask(@Param("id") long id);

    List<NotifyAttemptPO> listAttempts(
            @Param("taskId") long taskId, @Param("offset") int offset, @Param("limit") int limit);

    int redriveFailed(@Param("id") long id, @Param("now") Instant now, @Param("from") int from, @Param("to") int to);

    /**
     * Up to {@code limit} RETRY tasks not due yet and not leased (of {@code source}/{@code channel} when given), next
     * attempt first; a plain read, no lock.
     */
    List<Long> waitingRetryIds(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("now") Instant now,
            @Param("limit") int limit,
            @Param("retry") int retryStatus);

    List<NotifyTaskPO> waitingRetries(
            @Param("now") Instant now,
            @Param("afterTime") Instant afterTime,
            @Param("afterId") long afterId,
            @Param("limit") int limit,
            @Param("retry") int retryStatus);

    int makeDueNow(@Param("ids") List<Long> ids, @Param("now") Instant now, @Param("retry") int retryStatus);
}
