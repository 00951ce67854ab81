package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;
import java.util.Map;

/**
 * The callback tasks still owed, by status (init, retry, fail; delivered tasks are not a backlog), and the next-attempt
 * time of the oldest task that is due now ({@code null} when none is due).
 */
public record NotifyBacklogVO(Map<Integer, Long> owedByStatus, Instant oldestDue) {

    public long owed(int status) {
        return owedByStatus.getOrDefault(status, 0L);
    }
}
