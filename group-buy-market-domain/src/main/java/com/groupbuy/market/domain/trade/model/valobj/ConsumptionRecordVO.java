package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;

/**
 * What one of our consumers did with one message id: status (processing, success, fail), attempts started, the
 * optimistic version every change must name, and why the last attempt failed.
 */
public record ConsumptionRecordVO(String consumer, String messageId, String routingKey, String body, int status,
                                  int attempts, int version, String lastError, Instant createTime,
                                  Instant updateTime) {

    public static final int PROCESSING = 0;
    public static final int SUCCESS = 1;
    public static final int FAIL = 2;
}
