package com.groupbuy.market.infrastructure.outbox.repository;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Bytes of callback bodies one claim of the compensation run takes at most ({@code gbm.notify.page-bytes}): what a lane
 * holds in memory and publishes within one confirm window. A task whose body alone is larger is still taken, alone.
 * Positive.
 */
public record NotifyPageBytes(long bytes) {

    public NotifyPageBytes {
        if (bytes < 1) {
            throw new IllegalArgumentException("page bytes must be positive, got " + bytes);
        }
    }

    /**
     * The first rows, in their order, while their bytes together stay within {@link #bytes}; at least the first row
     * (whatever its size), so a body larger than the page still goes, alone. A row that does not fit ends the page:
     * the rows after it are not looked at (a page never passes over an older task for a younger, smaller one).
     */
    public <T> List<T> fitting(List<T> rows, ToLongFunction<T> bytesOf) {
        long sum = 0;
        int kept = 0;
        for (T row : rows) {
            long size = Math.max(0, bytesOf.applyAsLong(row));
            if (kept > 0 && size > bytes - sum) {
                break;
            }
            sum += size;
            kept++;
        }
        return kept == rows.size() ? rows : rows.subList(0, kept);
    }
}
