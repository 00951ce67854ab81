package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.trigger.http.admin.ConsoleLoginLimit;
import java.time.Duration;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console sign-in's attempt limit ({@code gbm.console.login.*}): at most {@code max-failures} failed sign-ins per
 * client address in a {@code window} that starts at the first failure; then every sign-in from that address is
 * refused until the window ends. The counter is one Redis key per address (shared by every instance, so guesses
 * spread over instances count together), expiring with its window; each check is one script (read, or count and
 * start the window, atomically: no key is ever left without its expiry). Through the Redis breaker: Redis down is
 * {@code E0401}, never an unlimited sign-in.
 */
@Configuration
public class ConsoleLoginLimitConfig {

    /** KEYS[1] the address's counter; ARGV[1] the window in ms. Returns the failures counted, this one included. */
    static final String COUNT = "local n = redis.call('incr', KEYS[1]) "
            + "if n == 1 or redis.call('pttl', KEYS[1]) < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) end "
            + "return n";

    /** KEYS[1] the counter; ARGV[1] failures allowed, ARGV[2] the window in ms. Returns ms blocked left, 0 if not. */
    static final String BLOCKED = "local n = tonumber(redis.call('get', KEYS[1]) or '0') "
            + "if n < tonumber(ARGV[1]) then return 0 end "
            + "local left = redis.call('pttl', KEYS[1]) "
            + "if left < 0 then redis.call('pexpire', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end "
            + "return left";

    @Bean
    public ConsoleLoginLimit consoleLoginLimit(
            RedissonClient redisson,
            RedisKeys keys,
            RedisOutages outages,
            @Value("${gbm.console.login.max-failures:10}") int maxFailures,
            @Value("${gbm.console.login.window:15m}") Duration window) {
        // A limit of 0 or a window under a second would be no limit at all (or lock operators out for nothing):
        // refuse to start rather than run unprotected.
        if (maxFailures < 1) {
            throw new IllegalStateException("gbm.console.login.max-failures must be at least 1, was " + maxFailures);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("gbm.console.login.window must be at least 1s, was " + window);
        }
        // One attempt: a failure counted twice after a timeout would lock an operator out early.
        RScript script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        String windowMillis = Long.toString(window.toMillis());
        return new ConsoleLoginLimit() {
            @Override
            public long blockedForMillis(String client) {
                Long left = outages.call(() -> script.eval(
                        RScript.Mode.READ_WRITE,
                        BLOCKED,
                        RScript.ReturnType.INTEGER,
                        List.of(key(client)),
                        Integer.toString(maxFailures),
                        windowMillis));
                return left == null ? 0 : left;
            }

            @Override
            public void failed(String client) {
                outages.call(() -> script.eval(
                        RScript.Mode.READ_WRITE,
                        COUNT,
                        RScript.ReturnType.INTEGER,
                        List.of(key(client)),
                        windowMillis));
            }

            @Override
            public int maxFailures() {
                return maxFailures;
            }

            private String key(String client) {
                return keys.key("console", "login-failures", String.valueOf(client));
            }
        };
    }
}
