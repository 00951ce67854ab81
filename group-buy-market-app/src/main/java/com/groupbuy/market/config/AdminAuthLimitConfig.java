package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.trigger.http.admin.ConsoleSessionKey;
import com.groupbuy.market.trigger.http.admin.ConsoleSignOuts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The limit of failed admin authentications ({@link ConsoleLoginLimitProperties}, {@code gbm.console.login.*}; the
 * counters and the known addresses are {@link RedisAuthLimit}'s, under {@code console:login-failures}) and the
 * console's sign-outs, both in Redis (shared by every instance).
 * <p>
 * Sign-outs: one key per signed-out session id, kept a cookie's whole lifetime and five minutes from the sign-out
 * ({@link ConsoleSignOuts#keptFor}), whatever this instance's clock says of the cookie's expiry.
 * <p>
 * Everything goes through the Redis breaker: Redis down is {@code E0401}, never unlimited guessing, never a signed-out
 * cookie admitted.
 */
@Configuration
public class AdminAuthLimitConfig {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Primary: the executor's access token has a limit of its own ({@code XxlJobConfig#executorTokenLimit}). */
    @Bean
    @Primary
    public AdminAuthLimit adminAuthLimit(
            RedissonClient redisson, RedisKeys keys, RedisOutages outages, ConsoleLoginLimitProperties limits) {
        return new RedisAuthLimit(redisson, keys, outages, limits, "console", "login-failures");
    }

    @Bean
    public ConsoleSignOuts consoleSignOuts(RedissonClient redisson, RedisKeys keys, RedisOutages outages, Clock clock) {
        return new ConsoleSignOuts() {
            @Override
            public boolean signedOut(String id) {
                return outages.call(
                        () -> redisson.getBucket(key(id), StringCodec.INSTANCE).isExists());
            }

            @Override
            public void signOut(String id, Instant expiry) {
                // Kept whatever this instance's clock says of the expiry: the others judge it by theirs.
                Duration kept = ConsoleSignOuts.keptFor(Duration.between(Instant.now(clock), expiry));
                // Idempotent (the same value and a later expiry each time), so Redisson's retries are harmless.
                outages.call(() -> {
                    redisson.getBucket(key(id), StringCodec.INSTANCE).set("1", kept);
                    return null;
                });
            }

            private String key(String id) {
                return keys.key("console", "signed-out", RedisKeys.part(id));
            }
        };
    }

    /**
     * The key named operators' console sessions are signed with: 32 random bytes, made by the first instance that
     * needs one and kept without expiry, read from Redis each time (one read, as the sign-outs'), so every instance
     * signs with the same key, and deleting it ends every named operator's session.
     */
    @Bean
    public ConsoleSessionKey consoleSessionKey(RedissonClient redisson, RedisKeys keys, RedisOutages outages) {
        return () -> outages.call(() -> {
            RBucket<String> bucket = redisson.getBucket(keys.key("console", "session-key"), StringCodec.INSTANCE);
            String kept = bucket.get();
            if (kept == null) {
                byte[] made = new byte[32];
                RANDOM.nextBytes(made);
                bucket.setIfAbsent(HexFormat.of().formatHex(made));
                kept = bucket.get();
            }
            return HexFormat.of().parseHex(kept);
        });
    }
}
