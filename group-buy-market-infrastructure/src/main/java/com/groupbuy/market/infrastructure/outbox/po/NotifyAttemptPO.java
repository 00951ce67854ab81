package com.groupbuy.market.infrastructure.outbox.po;

import java.time.Instant;
import lombok.Data;

/** A row of notify_attempt. */
@Data
public class NotifyAttemptPO {
    private Integer attemptNo;
    private Instant attemptTime;
    private Integer httpStatus;
    private Long latencyMs;
    private Boolean success;
    private String error;
}
