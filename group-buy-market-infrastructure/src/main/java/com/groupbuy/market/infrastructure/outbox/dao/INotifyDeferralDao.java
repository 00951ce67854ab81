package com.groupbuy.market.infrastructure.outbox.dao;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** A leased notify_task put back unsent: #17, its breaker or bulkhead refused the call; or its lease ran short. */
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

    /**
     * The lease released with {@code lastError} (why it was not sent), state, due time and try count unchanged; 0 rows
     * when the token is no longer the task's.
     */
    int release(@Param("id") long id, @Param("token") String token, @Param("lastError") String lastError);
}
