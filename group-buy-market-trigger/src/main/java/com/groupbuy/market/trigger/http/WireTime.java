package com.groupbuy.market.trigger.http;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times on the wire: "yyyy-MM-dd HH:mm:ss" in UTC+8, the zone of the partner malls; the database keeps UTC. */
final class WireTime {

    static final ZoneId PARTNER_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(PARTNER_ZONE);

    private WireTime() {
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}
