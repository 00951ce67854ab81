package com.groupbuy.market.infrastructure.outbox.dao;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** Counts over notify_task's (status, next attempt) index for the backlog metrics. */
@Mapper
public interface INotifyBacklogDao {

    long countByStatus(@Param("status") int status);

    Instant oldestDue(@Param("now") Instant now, @Param("pending") List<Integer> pendingStatuses);

    long countDue(@Param("now") Instant now, @Param("pending") List<Integer> pendingStatuses);
}
