package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.ConsumptionRecordPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements on mq_consumption_record; every change is guarded by the version it was read at. */
@Mapper
public interface IConsumptionRecordDao {

    /**
     * Inserts a processing record with no attempt yet, unless the message has one; any other error (a value too long for
     * its column) fails it. Sets the record's id only when it inserted it: a taken key counts 1 found row as well.
     */
    int insertUnlessTaken(ConsumptionRecordPO record);

    /** Inserts a processing record with its first attempt started, unless the message has one; as insertUnlessTaken. */
    int insertStartedUnlessTaken(ConsumptionRecordPO record);

    ConsumptionRecordPO query(@Param("consumer") String consumer, @Param("messageId") String messageId);

    int startAttempt(
            @Param("consumer") String consumer,
            @Param("messageId") String messageId,
            @Param("version") int version,
            @Param("from") int from);

    /** {@code from} → {@code to} (and the error) of a record at this version. */
    int finish(
            @Param("consumer") String consumer,
            @Param("messageId") String messageId,
            @Param("version") int version,
            @Param("from") int from,
            @Param("to") int to,
            @Param("error") String error);

    List<ConsumptionRecordPO> list(
            @Param("status") Integer status, @Param("offset") int offset, @Param("limit") int limit);

    /** Deletes the oldest records in {@code status} last changed before the cut-off, at most {@code limit}. */
    int deleteBefore(@Param("status") int status, @Param("before") Instant before, @Param("limit") int limit);
}
