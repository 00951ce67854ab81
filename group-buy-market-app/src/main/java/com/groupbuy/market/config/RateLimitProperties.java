package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rate limits on lock and settlement ({@code gbm.rate-limit.*}, #17): the configured defaults of the live switches
 * {@code rateLimitPairDefault}, {@code rateLimitPairs}, {@code rateLimitUser}; 0 = no limit (the default).
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.rate-limit")
public class RateLimitProperties {

    /** Requests per second for a source + channel without its own entry in {@link #pairs}. */
    private int pairDefault = 0;
    /** Per-pair limits: {@code source:channel=perSecond}, comma separated. */
    private String pairs = "";
    /** Requests per second for one user of one source + channel. */
    private int user = 0;
    /**
     * The longest a pair bucket stays in Redis unused: it leaves 2 s after its last use, when its window has passed
     * and it is the same as none, or after this if shorter (RedisTradeRateLimiter#keptFor).
     */
    private Duration pairKeepAlive = Duration.ofHours(1);
    /** As {@link #pairKeepAlive}, for a user bucket (there is one per active user). */
    private Duration userKeepAlive = Duration.ofMinutes(10);
}
