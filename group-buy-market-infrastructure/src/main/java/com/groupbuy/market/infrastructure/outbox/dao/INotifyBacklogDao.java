package com.groupbuy.market.infrastructure.outbox.dao;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Counts over notify_task's (status, next attempt) index for the backlog metrics. */
@Mapper
public interface INotifyBacklogDao {

    long countByStatus(@Param("status") int status);

    Instant oldestDue(@Param("now") Instant now, @Param("pending") List<Integer> pendingStatuses);

    long countDue(@Param("now") Instant now, @Param("pending") List<Integer> pendingStatuses);

    /** Leases are judged on the database's clock, as the claims judge them. */
    Integer anyLeftDue(@Param("dueBefore") Instant dueBefore, @Param("pending") List<Integer> pendingStatuses);
}
