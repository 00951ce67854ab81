package com.groupbuy.market.infrastructure.outbox.dao;

import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** A leased notify_task put back unsent: #17, its breaker or bulkhead refused the call; or its lease ran short. */
@Mapper
public interface INotifyDeferralDao {

    /**
     * RETRY, each task at its own due time, try count unchanged, lease released, for the tasks of {@code pageArray}
     * ({@code [[id, "due time"], …]}) that still hold {@code token} and are pending: the rows matched.
     */
    int deferAll(
            @Param("pageArray") String pageArray,
            @Param("token") String token,
            @Param("lastError") String lastError,
            @Param("from") List<Integer> from,
            @Param("to") int to);

    /** The tasks of {@code pageArray} still holding {@code token} and pending, locked to the transaction's end. */
    List<Long> lockHeld(
            @Param("pageArray") String pageArray, @Param("token") String token, @Param("from") List<Integer> from);

    /**
     * The lease released with {@code lastError} (why it was not sent), state, due time and try count unchanged; 0 rows
     * when the token is no longer the task's.
     */
    int release(@Param("id") long id, @Param("token") String token, @Param("lastError") String lastError);
}
