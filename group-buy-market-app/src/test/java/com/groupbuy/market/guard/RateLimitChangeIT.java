package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.infrastructure.trade.port.RedisTradeRateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A rate changed at run time (a live switch) applies to the permits already taken in the window. The instances apply a
 * change at different moments (the change message, or the reload timer when a message was missed), and each admitted
 * by the rate it read; the rate was part of the bucket's key, so an instance on the new rate counted in an empty
 * bucket of its own: lowered from 5 to 2 right after a partner's 5, 2 more were admitted in the same second (7 where
 * neither limit allows more than 5), and raised from 2 to 5 while another instance was still on 2, the two together
 * admitted 7 a second. The window holds permits, nothing about a rate: every instance counts the same permits, each
 * against the rate it has read.
 */
class RateLimitChangeIT {

    private static RedissonClient client;
    private static RedisTradeRateLimiter onNewRate;
    private static RedisTradeRateLimiter onOldRate;
    private static final String PREFIX =
            "rl-change-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void start() {
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:6379")
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setTimeout(2_000)
                .setRetryAttempts(0);
        client = Redisson.create(config);
        // Two instances on one Redis.
        onNewRate = limiter();
        onOldRate = limiter();
    }

    @AfterAll
    static void stop() {
        client.getKeys().deleteByPattern(PREFIX + "*");
        client.shutdown();
    }

    @Test
    void aRateLoweredInTheWindowCountsThePermitsAlreadyTaken() {
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(onOldRate.tryAcquirePair("s-lower", "c01", 5))
                    .as("permit %s of 5/s", i + 1)
                    .isTrue();
        }
        int admitted = 0;
        for (int i = 0; i < 5; i++) {
            if (onNewRate.tryAcquirePair("s-lower", "c01", 2)) {
                admitted++;
            }
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("all checks within one window").isLessThan(1_000);
        assertThat(admitted)
                .as("admitted at the lowered 2/s in the window that already holds the old rate's 5 (in %s ms)", tookMs)
                .isZero();
    }

    @Test
    void twoInstancesOnTheOldAndTheNewRateShareOneWindow() {
        long start = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 5; i++) {
            if (onOldRate.tryAcquireUser("s-raise", "c01", "u1", 2)) {
                admitted++;
            }
        }
        for (int i = 0; i < 10; i++) {
            if (onNewRate.tryAcquireUser("s-raise", "c01", "u1", 5)) {
                admitted++;
            }
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("all checks within one window").isLessThan(1_000);
        assertThat(admitted)
                .as("admitted in one window by an instance still on 2/s and one already on 5/s (in %s ms)", tookMs)
                .isEqualTo(5);
    }

    private static RedisTradeRateLimiter limiter() {
        return new RedisTradeRateLimiter(
                client,
                new RedisKeys(PREFIX, false),
                new RedisOutages(new DependencyBreaker("redis", 3, Duration.ofSeconds(2))),
                new SimpleMeterRegistry(),
                Duration.ofHours(1),
                Duration.ofMinutes(10));
    }
}
