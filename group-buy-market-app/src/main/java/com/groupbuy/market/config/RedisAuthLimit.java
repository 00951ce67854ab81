package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * {@link AdminAuthLimit} in Redis, shared by every instance, for one secret: its keys live under
 * {@code <space>:<slot>:…} ({@code console:login-failures:…} for the admin token, {@code executor:token-failures:…}
 * for the XXL-Job executor's access token), so guesses of one secret never lock out callers of the other.
 * <p>
 * Failures: two counters, the client address's and all addresses', each expiring with its {@code window}, which
 * starts at the counter's first failure; past {@code max-failures} (of the address) every authentication from that
 * address is refused until its window ends, past {@code max-failures-all-addresses} every authentication from an
 * address that is not known. Known: a marker per address that presented the right secret, expiring {@code known-for}
 * after its latest success. All keys carry one slot part, so each check is one script on Redis Cluster too (read, or
 * count and start the window, atomically: no key is ever left without its expiry). The address is escaped
 * ({@link RedisKeys#part}: an IPv6 address's colons).
 * <p>
 * Everything goes through the Redis breaker: Redis down is {@code E0401}, never unlimited guessing.
 */
final class RedisAuthLimit implements AdminAuthLimit {

    /** Counts one failure on KEYS[1] and KEYS[2], each starting its window (ARGV[{@code window}], ms) if new. */
    private static final String COUNT_BOTH = "for i = 1, 2 do "
            + "local n = redis.call('incr', KEYS[i]) "
            + "if n == 1 or redis.call('pttl', KEYS[i]) < 0 then redis.call('pexpire', KEYS[i], ARGV[window]) end "
            + "end ";

    /** KEYS[1] the address's counter, KEYS[2] all addresses'; ARGV[1] the window in ms. */
    static final String COUNT = "local window = 1 " + COUNT_BOTH + "return 1";

    /** The ms left of a counter at its limit (0 below it); a counter found without its expiry gets one. */
    private static final String LEFT = "local function left(key, allowed) "
            + "local n = tonumber(redis.call('get', key) or '0') "
            + "if n < allowed then return 0 end "
            + "local ms = redis.call('pttl', key) "
            + "if ms < 0 then redis.call('pexpire', key, ARGV[3]) return tonumber(ARGV[3]) end "
            + "return ms end "
            + "local a = left(KEYS[1], tonumber(ARGV[1])) "
            + "if a > 0 then return 'address:' .. a end ";

    /** All addresses' counter at its limit: refused (for an address not known). */
    private static final String ALL_LEFT =
            "local g = left(KEYS[2], tonumber(ARGV[2])) if g > 0 then return 'all:' .. g end ";

    /**
     * KEYS as {@link #COUNT} and KEYS[3] the address's known marker; ARGV[1] failures allowed per address, ARGV[2] for
     * all, ARGV[3] the window in ms. Returns {@code address:<ms left>}, {@code all:<ms left>}, or {@code -} while the
     * address may try (its own failures left, and all addresses' failures left or the address known).
     */
    static final String BLOCKED =
            LEFT + "if redis.call('exists', KEYS[3]) == 1 then return '-' end " + ALL_LEFT + "return '-'";

    /**
     * A wrong secret: {@link #BLOCKED} and, when it lets the attempt through, {@link #COUNT} in the same script, so no
     * other wrong secret reads the count without this one. KEYS, ARGV and answers as {@link #BLOCKED}'s.
     */
    static final String FAILURE = LEFT + "if redis.call('exists', KEYS[3]) == 0 then " + ALL_LEFT + "end "
            + "local window = 3 " + COUNT_BOTH + "return '-'";

    /** KEYS[1] the address's known marker; ARGV[1] how long it stays known, in ms. */
    static final String KNOWN = "redis.call('set', KEYS[1], '1', 'PX', ARGV[1]) return 1";

    private final RScript script;
    private final RedisKeys keys;
    private final RedisOutages outages;
    private final ConsoleLoginLimitProperties limits;
    private final String space;
    private final String slot;
    private final String all;
    private final String windowMillis;
    private final String knownMillis;

    /** {@code space} and {@code slotName} name the secret's keys ({@code console}, {@code login-failures}). */
    RedisAuthLimit(
            RedissonClient redisson,
            RedisKeys keys,
            RedisOutages outages,
            ConsoleLoginLimitProperties limits,
            String space,
            String slotName) {
        // One attempt: a failure counted twice after a timeout would lock an operator out early.
        this.script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        this.keys = keys;
        this.outages = outages;
        this.limits = limits;
        this.space = space;
        this.slot = keys.slot(slotName);
        this.all = keys.key(space, slot, "_all");
        this.windowMillis = Long.toString(limits.getWindow().toMillis());
        this.knownMillis = Long.toString(limits.getKnownFor().toMillis());
    }

    @Override
    public Refusal refusal(String client) {
        return check(BLOCKED, client);
    }

    @Override
    public Refusal failure(String client) {
        return check(FAILURE, client);
    }

    /** {@link #BLOCKED} or {@link #FAILURE} for {@code client}, its answer as a refusal (null for {@code -}). */
    private Refusal check(String checkScript, String client) {
        String left = outages.call(() -> script.eval(
                RScript.Mode.READ_WRITE,
                checkScript,
                RScript.ReturnType.VALUE,
                List.of(key(client), all, known(client)),
                Integer.toString(limits.getMaxFailures()),
                Integer.toString(limits.getMaxFailuresAllAddresses()),
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
                RScript.Mode.READ_WRITE, COUNT, RScript.ReturnType.INTEGER, List.of(key(client), all), windowMillis));
    }

    @Override
    public void succeeded(String client) {
        // Idempotent (the same value, a later expiry), so a repeat after a timeout is harmless; still one attempt.
        outages.call(() -> script.eval(
                RScript.Mode.READ_WRITE, KNOWN, RScript.ReturnType.INTEGER, List.of(known(client)), knownMillis));
    }

    /** {@code _all} cannot be an address: no IP address has an underscore. */
    private String key(String client) {
        return keys.key(space, slot, RedisKeys.part(String.valueOf(client)));
    }

    /** {@code known:<address>}: an escaped address has no colon, so this is never an address's counter. */
    private String known(String client) {
        return keys.key(space, slot, "known", RedisKeys.part(String.valueOf(client)));
    }
}
