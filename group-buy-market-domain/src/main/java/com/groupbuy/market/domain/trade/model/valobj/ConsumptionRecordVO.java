package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;

/**
 * What one of our consumers did with one message id: status (processing, success, fail), attempts started, the
 * optimistic version every change must name, and why the last attempt failed.
 */
public record ConsumptionRecordVO(
        String consumer,
        String messageId,
        String routingKey,
        String body,
        int status,
        int attempts,
        int version,
        String lastError,
        Instant createTime,
        Instant updateTime) {

    /*
     * The stored codes of ConsumptionStatus, kept only for CloseCheckService and the consumption admin controller (other
     * owners' files, being edited now): use ConsumptionStatus; ConsumptionStatusTest holds them equal.
     */
    public static final int PROCESSING = 0;
    public static final int SUCCESS = 1;
    public static final int FAIL = 2;

    /** {@code status} as the state machine's state (the record keeps the stored code: the admin API shows it). */
    public ConsumptionStatus state() {
        return ConsumptionStatus.of(status);
    }
}
