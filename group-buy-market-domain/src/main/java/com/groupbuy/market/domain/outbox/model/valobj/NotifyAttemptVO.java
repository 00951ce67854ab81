package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/** One recorded delivery attempt; {@code httpStatus} null when no HTTP answer came. */
public record NotifyAttemptVO(
        int attemptNo, Instant attemptTime, Integer httpStatus, long latencyMs, boolean success, String error) {}
