package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A delayed "close check" (#15): at {@code closeAt} an unpaid order, or a team past its validity, is checked and closed
 * if it is still open. Written at lock time in the lock's own transaction as an outbox row of an internal category
 * (never a partner callback), published with a delay of {@code delay} (the nominal length, which picks the delay
 * queue) and consumed by our own close-check consumer. {@code orderId} is null for a team check.
 */
public record CloseCheckVO(Kind kind, String teamId, String orderId, Instant closeAt, Duration delay) {

    /** The JSON fields of the message body; the outbox writer, the publisher and the consumer share them. */
    public static final String FIELD_CHECK = "check";

    public static final String FIELD_TEAM_ID = "teamId";
    public static final String FIELD_ORDER_ID = "orderId";
    public static final String FIELD_CLOSE_AT = "closeAt";
    public static final String FIELD_DELAY_MS = "delayMs";

    /**
     * The earliest and latest {@value #FIELD_CLOSE_AT} (epoch milliseconds) a check may name: 1970-01-01 to
     * 9999-12-31T23:59:59.999Z, the years a lock time is stored in (DATETIME), so every check a lock of ours writes.
     * The consumer reads a check outside them as malformed and dead-letters it at once: a deadline near
     * {@code Long.MIN_VALUE} made its lateness overflow a long in the consumer's log line after the check had run
     * (ArithmeticException: a failed attempt and a WARN, then its redelivery acknowledged as a duplicate), and one near
     * {@code Long.MAX_VALUE} was acknowledged as early, for the polling job (CloseCheckIT#aCheckNamingAnAbsurd…).
     */
    public static final long EARLIEST_CLOSE_AT_MS = 0;

    public static final long LATEST_CLOSE_AT_MS = 253_402_300_799_999L;

    /** The longest {@value #FIELD_DELAY_MS} a check may carry (never negative): no longer than that span. */
    public static final long LONGEST_DELAY_MS = LATEST_CLOSE_AT_MS;

    /**
     * A bundle (#19): several checks of one delay lane in one message, body
     * {@code {"checks":[{"id":<the check's message id>,"body":<the check's own body>},..]}}.
     */
    public static final String BUNDLE_FIELD_CHECKS = "checks";

    /**
     * The most checks a bundle carries ({@code gbm.close-check.bundle-max} at most): the consumer dead-letters a larger
     * one whole, never check by check (one message of a few bytes a check, every check a copy on the dead-letter queue
     * with the delivery's headers, each awaited in turn by a consumer thread).
     */
    public static final int BUNDLE_MAX_CHECKS = 1_000;

    public static final String BUNDLE_FIELD_ID = "id";
    public static final String BUNDLE_FIELD_BODY = "body";

    /** Outbox categories of the close checks: the prefix marks them internal (admin listings leave them out). */
    public static final String INTERNAL_CATEGORY_PREFIX = "internal_";

    public enum Kind {
        UNPAID_ORDER("unpaid_order", "internal_close_unpaid"),
        TEAM_EXPIRY("team_expiry", "internal_close_team");

        private final String check;
        private final String category;

        Kind(String check, String category) {
            this.check = check;
            this.category = category;
        }

        /** The value of {@value #FIELD_CHECK} in the message body. */
        public String check() {
            return check;
        }

        /** The outbox row's notify category. */
        public String category() {
            return category;
        }

        /** The kind named by a message body's {@value #FIELD_CHECK}, or null. */
        public static Kind ofCheck(String check) {
            for (Kind kind : values()) {
                if (kind.check.equals(check)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public static CloseCheckVO unpaidOrder(String teamId, String orderId, Instant closeAt, Duration delay) {
        return new CloseCheckVO(Kind.UNPAID_ORDER, teamId, orderId, closeAt, delay);
    }

    public static CloseCheckVO teamExpiry(String teamId, Instant closeAt, Duration delay) {
        return new CloseCheckVO(Kind.TEAM_EXPIRY, teamId, null, closeAt, delay);
    }

    /** The message body (the outbox row's bytes): check, teamId, orderId (order checks only), closeAt, delayMs. */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(FIELD_CHECK, kind.check());
        body.put(FIELD_TEAM_ID, teamId);
        if (orderId != null) {
            body.put(FIELD_ORDER_ID, orderId);
        }
        body.put(FIELD_CLOSE_AT, closeAt.toEpochMilli());
        body.put(FIELD_DELAY_MS, delay.toMillis());
        return CallbackJson.write(body);
    }

    /** The outbox task key: one check per order (or per team), so a lock retried in any way writes one. */
    public String taskKey() {
        return teamId + ":" + kind.category() + (orderId == null ? "" : ":" + orderId);
    }
}
