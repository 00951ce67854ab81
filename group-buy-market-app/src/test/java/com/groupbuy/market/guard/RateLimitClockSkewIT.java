package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.infrastructure.trade.port.RedisTradeRateLimiter;
import com.groupbuy.market.support.OneWindow;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The rate limits are one budget for every instance on one Redis, whatever their clocks say. Two limiters on a Redis
 * of the test's own: one on time, one whose clock reads 5 s ahead (its connections pass a proxy that moves every
 * clock reading it sends by 5 s, {@link TcpProxy#toRedisWithClockShifted}).
 * <p>
 * Redisson's {@code RRateLimiter} stamped each permit with the calling instance's {@code System.currentTimeMillis()}
 * and released those older than a window by the caller's clock: an instance 5 s ahead released every permit the
 * others took in the last 5 s and admitted the rate again in the same second (twice the rate here), and the others
 * refused a partner within its rate for 5 s after the instance ahead admitted it. The window is on Redis's own clock
 * ({@code TIME}) now.
 */
class RateLimitClockSkewIT {

    private static final int RATE = 5;
    private static final Duration SKEW = Duration.ofSeconds(5);
    /** The limiter's window: a second. */
    private static final long WINDOW_MS = 1_000;

    private static PrivateRedis redis;
    private static TcpProxy ahead;
    private static RedissonClient onTimeClient;
    private static RedissonClient aheadClient;
    private static RedisTradeRateLimiter onTime;
    private static RedisTradeRateLimiter aheadLimiter;

    @BeforeAll
    static void start() throws Exception {
        redis = PrivateRedis.start();
        ahead = TcpProxy.toRedisWithClockShifted(redis.port(), SKEW);
        onTimeClient = client(redis.port());
        aheadClient = client(ahead.port());
        onTime = limiter(onTimeClient);
        aheadLimiter = limiter(aheadClient);
    }

    @AfterAll
    static void stop() throws Exception {
        onTimeClient.shutdown();
        aheadClient.shutdown();
        ahead.cut();
        redis.kill();
    }

    @Test
    void theInstanceAheadReachesRedisWithItsClockAhead() {
        long sent = System.currentTimeMillis();
        aheadClient.<String>getBucket("rl-skew:probe", StringCodec.INSTANCE).set(Long.toString(sent));
        long stored = Long.parseLong(onTimeClient
                .<String>getBucket("rl-skew:probe", StringCodec.INSTANCE)
                .get());
        assertThat(stored - sent).isEqualTo(SKEW.toMillis());
    }

    @Test
    void anInstanceAheadAdmitsNothingOfABudgetTheOthersTookInTheSameSecond() {
        List<Boolean> admitted = OneWindow.run(WINDOW_MS, source -> {
            for (int i = 0; i < RATE; i++) {
                assertThat(onTime.tryAcquirePair(source, "c01", RATE))
                        .as("permit %s of %s/s on the instance on time", i + 1, RATE)
                        .isTrue();
            }
            List<Boolean> checks = new ArrayList<>();
            for (int i = 0; i < RATE; i++) {
                checks.add(aheadLimiter.tryAcquirePair(source, "c01", RATE));
            }
            checks.add(onTime.tryAcquirePair(source, "c01", RATE));
            return checks;
        });

        assertThat(admitted.subList(0, RATE))
                .as(
                        "admitted by the instance %s s ahead after the instance on time took the %s/s",
                        SKEW.toSeconds(), RATE)
                .containsOnly(false);
        assertThat(admitted.get(RATE)).as("the instance on time, over its rate").isFalse();
    }

    @Test
    void theOthersAdmitAgainAWindowAfterTheInstanceAheadTookTheBudget() throws Exception {
        String[] taken = new String[1];
        List<Boolean> inTheWindow = OneWindow.run(WINDOW_MS, source -> {
            taken[0] = source;
            for (int i = 0; i < RATE; i++) {
                assertThat(aheadLimiter.tryAcquireUser(source, "c01", "u1", RATE))
                        .as("permit %s of %s/s on the instance ahead", i + 1, RATE)
                        .isTrue();
            }
            return List.of(
                    aheadLimiter.tryAcquireUser(source, "c01", "u1", RATE),
                    onTime.tryAcquireUser(source, "c01", "u1", RATE));
        });
        assertThat(inTheWindow.get(0))
                .as("the instance ahead counts its own permits")
                .isFalse();
        assertThat(inTheWindow.get(1))
                .as("the instance on time, in the same window")
                .isFalse();

        Thread.sleep(WINDOW_MS + 200); // a window and a margin of real time: only longer on a loaded machine

        assertThat(onTime.tryAcquireUser(taken[0], "c01", "u1", RATE))
                .as("the instance on time, a window after the instance %s s ahead took the budget", SKEW.toSeconds())
                .isTrue();
        assertThat(aheadLimiter.tryAcquireUser(taken[0], "c01", "u1", RATE)).isTrue();
    }

    private static RedissonClient client(int port) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + port)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setTimeout(2_000)
                .setRetryAttempts(0);
        return Redisson.create(config);
    }

    private static RedisTradeRateLimiter limiter(RedissonClient client) {
        return new RedisTradeRateLimiter(
                client,
                new RedisKeys("rl-skew:", false),
                new RedisOutages(new DependencyBreaker("redis", 3, Duration.ofSeconds(2))),
                new SimpleMeterRegistry(),
                Duration.ofHours(1),
                Duration.ofMinutes(10));
    }
}
