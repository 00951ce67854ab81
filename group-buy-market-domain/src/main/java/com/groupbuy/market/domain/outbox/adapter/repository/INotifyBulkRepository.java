package com.groupbuy.market.domain.outbox.adapter.repository;

import java.time.Instant;
import java.util.List;

/**
 * Re-driving many FAIL tasks page by page: partner callbacks only, as the single re-drive ({@link
 * INotifyTaskAdminRepository}); close checks (notify type DELAY) are neither counted, listed nor moved.
 */
public interface INotifyBulkRepository {

    /** FAIL tasks of {@code source}/{@code channel} (any when null). */
    long countFailed(String source, String channel);

    /** Ids of FAIL tasks above {@code afterId}, in id order. */
    List<Long> failedIdsAfter(String source, String channel, long afterId, int limit);

    /** These tasks, when still FAIL, go back to RETRY due at {@code now}; returns how many did. */
    int redriveFailed(List<Long> ids, Instant now);
}
