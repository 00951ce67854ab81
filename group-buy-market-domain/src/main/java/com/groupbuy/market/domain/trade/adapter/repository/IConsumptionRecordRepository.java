package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import java.util.List;

/**
 * Consumption records: one row per (consumer, message id), changed only under the version it was read at, so two
 * deliveries of one message never both start an attempt or both finish it.
 */
public interface IConsumptionRecordRepository {

    /** The record of this message, created (processing, no attempt yet) if it is the first delivery. */
    ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body);

    /**
     * The first delivery's record, written with its first attempt already started (processing, attempts 1, version
     * 1): one statement where {@link #open} and {@link #startAttempt} are two. False when the message has a record
     * already (a redelivery; {@link #open} reads it).
     */
    boolean openStarted(String consumer, String messageId, String routingKey, String body);

    /** Counts one more attempt; false when the record changed since {@code version} was read. */
    boolean startAttempt(String consumer, String messageId, int version);

    /** processing → success; false when the record changed since {@code version}. */
    boolean markSuccess(String consumer, String messageId, int version);

    /** Keeps why this attempt failed, status stays processing; false when the record changed since {@code version}. */
    boolean recordFailure(String consumer, String messageId, int version, String error);

    /** processing → fail with the dead-letter reason; false when the record changed since {@code version}. */
    boolean markFailed(String consumer, String messageId, int version, String reason);

    /** Records in this status (all when null), newest change first. */
    List<ConsumptionRecordVO> list(Integer status, int offset, int limit);
}
