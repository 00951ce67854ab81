package com.groupbuy.market.infrastructure.trade.port;

import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * #17: at most {@code rate} permits in any one-second window per bucket, across every instance: one Lua script per
 * check on one Redis key per bucket, a sorted set logging each permit under Redis's own clock ({@code TIME}), so the
 * window is the same for every instance whatever its clock says. The window holds permits, nothing about a rate: a rate
 * changed at run time (a live switch, applied by each instance when it reloads) is checked against the permits already
 * taken, by every instance against the rate it has read. Until 2026-12-06 the rate was part of the key, so an instance
 * on a new rate counted in an empty bucket of its own: lowered 5 to 2 after a partner's 5, 2 more in the same second,
 * and an instance still on the old rate beside one on the new admitted both rates together
 * ({@code RateLimitChangeIT}). Every call
 * goes through the Redis breaker: Redis unreachable = {@code E0401} / 503 (fail closed), counted in
 * {@code gbm.ratelimit.unavailable}, never an unlimited admit. {@code gbm.ratelimit.refused} counts Redis's refusals
 * and those the instance decides itself meanwhile.
 * <p>
 * Until 2026-12-05 this was Redisson's {@code RRateLimiter}, whose script is handed the calling instance's
 * {@code System.currentTimeMillis()} and stamps and releases permits by it: an instance X ahead released the permits
 * the others took in the last X and admitted the rate again at once, and the others refused a caller within its rate
 * for X after the instance ahead admitted it ({@code RateLimitClockSkewIT}). Its keys ({@code <name>} and
 * {@code {<name>}:...}) are not this one's ({@code <name>:window}) and leave Redis by their own keep-alive.
 * <p>
 * A bucket is kept {@link #IDLE_LIFETIME} after its last use, not an hour: the rate is checked before anything tells
 * whether the pair is anyone's, so each made-up source + channel (and each user of one) gets buckets, and a flood of
 * distinct made-up pairs held Redis memory for its rate times the keep-alive. See {@link #keptFor}.
 */
public class RedisTradeRateLimiter implements ITradeRateLimiter {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    /**
     * How long a bucket stays in Redis after its last use. The script is a sliding window, not a refilling bucket: it
     * logs each permit with Redis's time and releases it one window later, so a window after its last permit a bucket
     * holds nothing a missing one would not. Nothing else lives in it: the rate is the caller's, checked against the
     * permits logged. The second beyond the window is a margin; the key's expiry and the permits' times are on
     * one clock, Redis's, so dropping it never admits more.
     */
    static final Duration IDLE_LIFETIME = WINDOW.plusSeconds(1);

    /**
     * KEYS[1]: the bucket. ARGV: rate, window in microseconds, keep-alive in milliseconds, a member unique to this
     * call. Releases the permits one window old or older by Redis's clock, then takes one if fewer than the rate are
     * left. 1 taken, 0 refused; the bucket's expiry is renewed either way.
     */
    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
            local taken = 0
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now, ARGV[4])
              taken = 1
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return taken
            """;

    private final RScript script;
    private final RedisKeys keys;
    private final RedisOutages outages;
    private final Duration pairKept;
    private final Duration userKept;
    /** Names this instance's permits apart from every other's (members of a bucket's set must differ); short. */
    private final String instance = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);

    private final AtomicLong permits = new AtomicLong();
    private final Counter pairRefused;
    private final Counter userRefused;
    private final Counter unavailable;

    public RedisTradeRateLimiter(
            RedissonClient redisson,
            RedisKeys keys,
            RedisOutages outages,
            MeterRegistry meters,
            Duration pairKeepAlive,
            Duration userKeepAlive) {
        // One attempt per check (no resend after a timeout, when a permit may have been taken); RedisOutages sends
        // it again only when the write provably failed.
        this.script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        this.keys = keys;
        this.outages = outages;
        this.pairKept = keptFor(pairKeepAlive);
        this.userKept = keptFor(userKeepAlive);
        this.pairRefused = Counter.builder("gbm.ratelimit.refused")
                .tag("scope", "pair")
                .description("lock/settlement requests refused with 0006")
                .register(meters);
        this.userRefused = Counter.builder("gbm.ratelimit.refused")
                .tag("scope", "user")
                .description("lock/settlement requests refused with 0006")
                .register(meters);
        this.unavailable = Counter.builder("gbm.ratelimit.unavailable")
                .description("rate limit checks that found Redis unavailable (answered E0401, not admitted)")
                .register(meters);
    }

    @Override
    public boolean tryAcquirePair(String source, String channel, int perSecond) {
        boolean admitted =
                acquire(keys.key("ratelimit", "pair", literal(source), literal(channel)), perSecond, pairKept);
        if (!admitted) {
            pairRefused.increment();
        }
        return admitted;
    }

    @Override
    public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
        boolean admitted = acquire(
                keys.key("ratelimit", "user", literal(source), literal(channel), literal(userId)), perSecond, userKept);
        if (!admitted) {
            userRefused.increment();
        }
        return admitted;
    }

    /**
     * How long a bucket stays after its last use: {@link #IDLE_LIFETIME}, or the configured keep-alive when shorter (at
     * least a window, checked at start-up: a shorter one would drop permits still in their window).
     */
    static Duration keptFor(Duration keepAlive) {
        return keepAlive.compareTo(IDLE_LIFETIME) < 0 ? keepAlive : IDLE_LIFETIME;
    }

    /**
     * Same series as Redis's refusals: a second tag would split every existing {@code scope} series in two (queries and
     * alerts on {@code scope} alone would see either half). Told apart by {@code gbm.ratelimit.unavailable} rising at
     * the same time, and by the log.
     */
    @Override
    public void countInstanceRefusal(boolean perUser) {
        (perUser ? userRefused : pairRefused).increment();
    }

    /**
     * A part of a bucket's name as sent by a partner, made safe for a key ({@link RedisKeys#literal}): Redis Cluster
     * hashes a key by its first pair of braces, so a partner's braces never pick a bucket's slot (Redisson's limiter
     * kept a bucket in several keys, and a brace in a user id put them in different slots: CROSSSLOT, HTTP 500 for
     * every lock and settlement of that buyer). Colons are escaped too ({@link RedisKeys#part}): another pair's user
     * whose parts joined to the same text shared the buyer's bucket.
     */
    static String literal(String part) {
        return RedisKeys.part(part);
    }

    private boolean acquire(String name, int perSecond, Duration keepAlive) {
        try {
            Long taken = outages.call(() -> script.<Long>eval(
                    RScript.Mode.READ_WRITE,
                    ACQUIRE,
                    RScript.ReturnType.INTEGER,
                    List.of(name + ":window"),
                    Integer.toString(perSecond),
                    Long.toString(WINDOW.toNanos() / 1_000),
                    Long.toString(keepAlive.toMillis()),
                    instance + ":" + permits.incrementAndGet()));
            return taken != null && taken == 1L;
        } catch (RuntimeException e) {
            if (RedisOutages.isOutage(e)
                    || e instanceof com.groupbuy.market.types.exception.DependencyUnavailableException) {
                unavailable.increment();
            }
            throw e;
        }
    }
}
