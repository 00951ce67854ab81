package com.groupbuy.market.infrastructure.outbox.repository;

/**
 * Bytes of callback bodies one claim of the compensation run takes at most ({@code gbm.notify.page-bytes}); a task
 * whose body alone is larger is still taken, alone. Positive.
 */
public record NotifyPageBytes(long bytes) {

    public NotifyPageBytes {
        if (bytes < 1) {
            throw new IllegalArgumentException("page bytes must be positive, got " + bytes);
        }
    }
}
