package com.groupbuy.market.infrastructure.trade.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rate bucket stays in Redis its window and a second after its last use, whatever longer keep-alive is configured
 * (a bucket whose window has passed is the same as none); a shorter one, down to the window, is taken as it is.
 */
class RateBucketLifetimeTest {

    @Test
    void aLongKeepAliveKeepsABucketOnlyPastItsWindow() {
        assertThat(RedisTradeRateLimiter.keptFor(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(RedisTradeRateLimiter.keptFor(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aShorterKeepAliveIsTakenAsItIs() {
        assertThat(RedisTradeRateLimiter.keptFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(RedisTradeRateLimiter.keptFor(Duration.ofMillis(1500))).isEqualTo(Duration.ofMillis(1500));
    }
}
