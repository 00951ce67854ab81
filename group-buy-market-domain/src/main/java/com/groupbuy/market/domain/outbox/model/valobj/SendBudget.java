package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Duration;

/**
 * How long one HTTP callback may take, by the size of its body: the {@code base} window (connect + write + read, what a
 * small body needs) plus the time its bytes take over the slowest partner link still served ({@code minBytesPerSecond},
 * {@code gbm.notify.min-send-rate}), at most {@code cap}. The budget was the base window whatever the body: a team's
 * completion callback of 10,000 members is about 1 MB, and to a partner whose link took it slower than about 85 KB/s
 * every attempt was cut at 12 s and retried until FAIL, the callback never received.
 * <p>
 * {@code cap} keeps every send inside its task's lease with room to start it (the lease minus one base window): a body
 * whose time at the minimum rate does not fit gets the cap, and the gateway says so when it sends it ({@link
 * #capped}). {@link #fixed} is the old rule, one window for every body.
 */
public record SendBudget(Duration base, long minBytesPerSecond, Duration cap) {

    public SendBudget {
        if (base == null || base.isZero() || base.isNegative()) {
            throw new IllegalArgumentException("the base send window must be positive, got " + base);
        }
        if (minBytesPerSecond < 1) {
            throw new IllegalArgumentException("the minimum send rate must be positive, got " + minBytesPerSecond);
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("the cap (" + cap + ") must be at least the base window (" + base + ")");
        }
    }

    /** One window for every body, whatever its size (the rule before the minimum send rate). */
    public static SendBudget fixed(Duration window) {
        return new SendBudget(window, Long.MAX_VALUE, window);
    }

    /** What the body's bytes add to the base window, at most what the cap leaves. */
    public Duration extraFor(long bodyBytes) {
        Duration needed = bodyTime(bodyBytes);
        Duration room = cap.minus(base);
        return needed.compareTo(room) <= 0 ? needed : room;
    }

    /** The task's whole budget: the base window plus what its body adds, at most the cap. */
    public Duration of(NotifyTaskVO task) {
        return of(task.getBodyBytes());
    }

    /** The whole budget of a body of this many bytes: the base window plus what it adds, at most the cap. */
    public Duration of(long bodyBytes) {
        return base.plus(extraFor(bodyBytes));
    }

    /** The budget the body would need at the minimum rate, uncapped. */
    public Duration needed(long bodyBytes) {
        return base.plus(bodyTime(bodyBytes));
    }

    /** Whether the body needs more than the cap: sent within the cap, a link at the minimum rate cannot take it. */
    public boolean capped(long bodyBytes) {
        return needed(bodyBytes).compareTo(cap) > 0;
    }

    /** The largest body sent whole at the minimum rate within the cap. */
    public long largestBodyBytes() {
        long millis = cap.minus(base).toMillis();
        return minBytesPerSecond == Long.MAX_VALUE || millis > Long.MAX_VALUE / minBytesPerSecond
                ? Long.MAX_VALUE
                : millis * minBytesPerSecond / 1000;
    }

    /**
     * The time the body's bytes take at the minimum rate, uncapped (zero for {@link #fixed}): what a link still served
     * may add to a call of this body, so what the callback breaker allows it on top of its slow-call duration.
     */
    public Duration bodyTime(long bodyBytes) {
        if (bodyBytes <= 0 || minBytesPerSecond == Long.MAX_VALUE) {
            return Duration.ZERO;
        }
        // Whole milliseconds, rounded up; a body of at most 16 MiB (MEDIUMTEXT) times 1,000 fits a long.
        return Duration.ofMillis((bodyBytes * 1000 + minBytesPerSecond - 1) / minBytesPerSecond);
    }

    /** The body's length in UTF-8 bytes (as sent), counted without encoding it. */
    public static long utf8Bytes(String text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                // A lone surrogate is sent as '?' (one byte); counting three only lengthens the budget a little.
                bytes += 3;
            }
        }
        return bytes;
    }
}
