package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** An open team as a buyer sees it when choosing whom to join; {@code outTradeNo} is set only on the caller's own. */
@Getter
@Builder
@AllArgsConstructor
public class TeamVO {

    private final String teamId;
    /** The user the team is shown under: its first member still in it (the leader while they stay). */
    private final String leaderUserId;

    private final Long activityId;
    private final Integer targetCount;
    private final Integer completeCount;
    private final Integer lockCount;
    private final Instant validStartTime;
    private final Instant validEndTime;
    private final String outTradeNo;

    /**
     * Time left until the team closes, as HH:mm:ss (hours may exceed 24); 00:00:00 once it has passed. ASCII digits
     * whatever the JVM's default locale ({@code Locale.ROOT}): the default's were written, {@code ١٢} on an Arabic one.
     */
    public String countdown(Instant now) {
        Duration left = Duration.between(now, validEndTime);
        long seconds = Math.max(0, left.getSeconds());
        return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }
}
