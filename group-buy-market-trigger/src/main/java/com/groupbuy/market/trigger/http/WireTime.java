package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times on the wire: "yyyy-MM-dd HH:mm:ss" in UTC+8, the zone of the partner malls; the database keeps UTC. */
final class WireTime {

    static final ZoneId PARTNER_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(PARTNER_ZONE);

    private WireTime() {
    }

    /** A partner's trade time: epoch milliseconds (all digits) or "yyyy-MM-dd HH:mm:ss" in UTC+8. */
    static Instant parseTradeTime(String field, String value) {
        String text = RequestCheck.text(field, value, 32);
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            return LocalDateTime.parse(text, FORMAT).atZone(PARTNER_ZONE).toInstant();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + field
                    + " must be epoch milliseconds or yyyy-MM-dd HH:mm:ss (UTC+8)");
        }
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}
