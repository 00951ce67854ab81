package com.groupbuy.market.infrastructure.outbox.dao;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** #17: a leased notify_task put back unsent (its breaker or bulkhead refused the call). */
@Mapper
public interface INotifyDeferralDao {

    /** RETRY at {@code until}, try count unchanged, lease released; 0 rows when the token is no longer the task's. */
    int defer(
            @Param("id") long id,
            @Param("token") String token,
            @Param("until") Instant until,
            @Param("lastError") String lastError,
            @Param("from") List<Integer> from,
            @Param("to") int to);
}
