package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.groupbuy.market.trigger.http.admin.ConsoleSignOuts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The limit of failed admin authentications ({@link ConsoleLoginLimitProperties}, {@code gbm.console.login.*}) and the
 * console's sign-outs, both in Redis (shared by every instance).
 * <p>
 * Failures: two counters, the client address's and all addresses', each expiring with its {@code window}, which
 * starts at the counter's first failure; past {@code max-failures} (of the address) or {@code max-failures-all-addresses}
 * every authentication by token from that address (or from all) is refused until its window ends. Both keys carry
 * one slot part, so each check is one script on Redis Cluster too (read, or count and start the window, atomically:
 * no key is ever left without its expiry). The address is escaped ({@link RedisKeys#part}: an IPv6 address's colons).
 * <p>
 * Sign-outs: one key per signed-out session id, expiring when its cookie would have.
 * <p>
 * Everything goes through the Redis breaker: Redis down is {@code E0401}, never unlimited guessing, never a signed-out
 * cookie admitted.
 */
@Configuration
public class AdminAuthLimitConfig {

    /** KEYS[1] the address's counter, KEYS[2] all addresses'; ARGV[1] the window in ms. */
    static final String COUNT = "for i = 1, 2 do "
            + "local n = redis.call('incr', KEYS[i]) "
            + "if n == 1 or redis.call('pttl', KEYS[i]) < 0 then redis.call('pexpire', KEYS[i], ARGV[1]) end "
            + "end "
            + "return 1";

    /**
     * KEYS as {@link #COUNT}; ARGV[1] failures allowed per address, ARGV[2] for all, ARGV[3] the window in ms. Returns
     * {@code address:<ms left>}, {@code all:<ms left>}, or {@code -} while both have failures left.
     */
    static final String BLOCKED = "local function left(key, allowed) "
            + "local n = tonumber(redis.call('get', key) or '0') "
            + "if n < allowed then return 0 end "
            + "local ms = redis.call('pttl', key) "
            + "if ms < 0 then redis.call('pexpire', key, ARGV[3]) return tonumber(ARGV[3]) end "
            + "return ms end "
            + "local a = left(KEYS[1], tonumber(ARGV[1])) "
            + "if a > 0 then return 'address:' .. a end "
            + "local g = left(KEYS[2], tonumber(ARGV[2])) "
            + "if g > 0 then return 'all:' .. g end "
            + "return '-'";

    @Bean
    public AdminAuthLimit adminAuthLimit(
            RedissonClient redisson, RedisKeys keys, RedisOutages outages, ConsoleLoginLimitProperties limits) {
        // One attempt: a failure counted twice after a timeout would lock an operator out early.
        RScript script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        String windowMillis = Long.toString(limits.getWindow().toMillis());
        String perAddress = Integer.toString(limits.getMaxFailures());
        String allAddresses = Integer.toString(limits.getMaxFailuresAllAddresses());
        String slot = keys.slot("login-failures");
        String all = keys.key("console", slot, "_all");
        return new AdminAuthLimit() {
            @Override
            public Refusal refusal(String client) {
                String left = outages.call(() -> script.eval(
                        RScript.Mode.READ_WRITE,
                        BLOCKED,
                        RScript.ReturnType.VALUE,
                        List.of(key(client), all),
                        perAddress,
                        allAddresses,
                        windowMillis));
                if (left == null || !left.contains(":")) {
                    return null;
                }
                long millis = Long.parseLong(left.substring(left.indexOf(':') + 1));
                return left.startsWith("all:")
                        ? new Refusal(millis, limits.getMaxFailuresAllAddresses(), true)
                        : new Refusal(millis, limits.getMaxFailures(), false);
            }

            @Override
            public void failed(String client) {
                outages.call(() -> script.eval(
                        RScript.Mode.READ_WRITE,
                        COUNT,
                        RScript.ReturnType.INTEGER,
                        List.of(key(client), all),
                        windowMillis));
            }

            /** {@code _all} cannot be an address: no IP address has an underscore. */
            private String key(String client) {
                return keys.key("console", slot, RedisKeys.part(String.valueOf(client)));
            }
        };
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
                Duration left = Duration.between(Instant.now(clock), expiry).plusSeconds(1);
                if (left.isNegative() || left.isZero()) {
                    return;
                }
                // Idempotent (the same value and a later expiry each time), so Redisson's retries are harmless.
                outages.call(() -> {
                    redisson.getBucket(key(id), StringCodec.INSTANCE).set("1", left);
                    return null;
                });
            }

            private String key(String id) {
                return keys.key("console", "signed-out", RedisKeys.part(id));
            }
        };
    }
}
