package com.groupbuy.market.infrastructure.outbox.dao;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** The retention deletes on notify_task / notify_attempt. */
@Mapper
public interface INotifyRetentionDao {

    /** Oldest delivered tasks delivered before the cut-off, locked for this transaction. */
    List<Long> lockDeliveredBefore(@Param("deliveredBefore") Instant deliveredBefore, @Param("limit") int limit);

    int deleteAttempts(@Param("ids") List<Long> ids);

    /** Deletes these tasks, each only while it is still delivered. */
    int deleteDelivered(@Param("ids") List<Long> ids);
}
