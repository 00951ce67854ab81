package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.infrastructure.trade.port.RedisTradeRateLimiter;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * #17: the rate limiter fails closed. Against a real redis-server of the test's own, a pair limited to 2/s admits two
 * and refuses the third; with that Redis killed the check is a dependency outage (answered 503 E0401 by the resolver)
 * and counted in {@code gbm.ratelimit.unavailable}, never an admit; a refusal the instance then decides itself is
 * counted in {@code gbm.ratelimit.refused} as Redis's are.
 */
class RateLimitOutageIT {

    @Test
    void limitsHoldAndAnUnreachableRedisIsAnOutageNotAnAdmit() throws Exception {
        PrivateRedis redis = PrivateRedis.start();
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + redis.port())
                .setTimeout(500)
                .setConnectTimeout(500)
                .setRetryAttempts(0);
        RedissonClient client = Redisson.create(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try {
            RedisTradeRateLimiter limiter = new RedisTradeRateLimiter(
                    client,
                    new RedisKeys("rl-outage:", false),
                    new RedisOutages(new DependencyBreaker("redis", 3, Duration.ofSeconds(2))),
                    meters,
                    Duration.ofHours(1),
                    Duration.ofMinutes(10));

            assertThat(limiter.tryAcquirePair("s01", "c01", 2)).isTrue();
            assertThat(limiter.tryAcquirePair("s01", "c01", 2)).isTrue();
            assertThat(limiter.tryAcquirePair("s01", "c01", 2)).isFalse();
            assertThat(limiter.tryAcquirePair("s01", "c01", 3))
                    .as("a changed rate is a fresh bucket")
                    .isTrue();

            redis.kill();
            assertThatThrownBy(() -> limiter.tryAcquireUser("s01", "c01", "u1", 5))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThat(meters.get("gbm.ratelimit.unavailable").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("gbm.ratelimit.refused")
                            .tag("scope", "pair")
                            .counter()
                            .count())
                    .isEqualTo(1);

            // Counted in this instance while Redis cannot: over the user's rate is 0006, and counted as Redis's is.
            TradeRateGuard guard = new TradeRateGuard(limiter, () -> userRate(1));
            assertThatThrownBy(() -> guard.admit("lock", "s01", "c01", "u2"))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThatThrownBy(() -> guard.admit("lock", "s01", "c01", "u2"))
                    .isInstanceOf(AppException.class)
                    .hasMessageStartingWith("0006 ");
            assertThat(meters.get("gbm.ratelimit.refused")
                            .tag("scope", "user")
                            .counter()
                            .count())
                    .as("the instance's refusal counted with Redis's")
                    .isEqualTo(1);
        } finally {
            client.shutdown();
            redis.kill();
        }
    }

    private static LiveSwitchesVO userRate(int perSecond) {
        Map<SwitchName, String> values = SwitchValues.unset();
        values.put(SwitchName.RATE_LIMIT_USER, Integer.toString(perSecond));
        return LiveSwitchesVO.of(values);
    }
}
