package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/** A callback task as an operator sees it in a list. */
public record NotifyTaskSummaryVO(
        long id,
        String teamId,
        String notifyCategory,
        String notifyUrl,
        int notifyStatus,
        int notifyCount,
        Instant nextAttemptTime,
        String lastError) {}
