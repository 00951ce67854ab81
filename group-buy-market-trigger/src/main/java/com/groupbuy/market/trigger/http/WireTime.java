package com.groupbuy.market.trigger.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Times on the wire: "yyyy-MM-dd HH:mm:ss" in UTC+8, the zone of the partner malls; the database keeps UTC. */
final class WireTime {

    static final ZoneId PARTNER_ZONE = ZoneId.of("Asia/Shanghai");
    /**
     * STRICT: February 30th or 24:00:00 is refused, never rolled over into another (valid-looking) instant. The year is
     * exactly four digits, as every other field is its width: the pattern's {@code uuuu} also took a sign and more
     * digits ({@code "+10000-01-02 00:00:00"}), a year past the database's DATETIME, whose refused notice's record
     * (late_payment.out_trade_time) the database then refused: the mall was answered 500 0001 for its own field.
     */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4)
            .appendPattern("-MM-dd HH:mm:ss")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE)
            .withZone(PARTNER_ZONE);
    /** Epoch milliseconds up to the year 2286 (13 digits); more digits is not a time a mall can mean. */
    private static final int MAX_EPOCH_DIGITS = 13;

    private WireTime() {}

    /**
     * A partner's trade time: epoch milliseconds (ASCII digits only) or "yyyy-MM-dd HH:mm:ss" in UTC+8. Other
     * digits ({@code Character.isDigit} accepts full-width and Arabic-Indic ones, and so does {@code Long.parseLong})
     * are refused: what we store must be what the mall wrote. Both shapes say times from the epoch on: text before
     * 1970-01-01 08:00:00 (UTC+8) is refused as epoch milliseconds cannot be negative. Text names its year in four
     * digits, no sign: 9999-12-31 23:59:59 is the latest.
     */
    static Instant parseTradeTime(String field, String value) {
        // A time is not an id: spaces around it change nothing it means.
        String text = RequestCheck.text(field, value, 32).trim();
        if (!text.chars().allMatch(c -> c < 0x80)) {
            throw malformed(field);
        }
        try {
            if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                if (text.length() > MAX_EPOCH_DIGITS) {
                    throw malformed(field);
                }
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            Instant time =
                    LocalDateTime.parse(text, FORMAT).atZone(PARTNER_ZONE).toInstant();
            if (time.isBefore(Instant.EPOCH)) {
                // The earliest time epoch milliseconds can say. Earlier text reached a refused payment's record
                // (late_payment.out_trade_time) as another time than the mall wrote: "0000-06-01 12:00:00" was stored
                // as the year 0001 (the database text names a year of an era, and year 0 is 1 BC).
                throw malformed(field);
            }
            return time;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw malformed(field);
        }
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    private static RuntimeException malformed(String field) {
        return RequestCheck.illegal(field + " must be epoch milliseconds or a real time yyyy-MM-dd HH:mm:ss (UTC+8), "
                + "not before 1970-01-01 08:00:00");
    }
}
