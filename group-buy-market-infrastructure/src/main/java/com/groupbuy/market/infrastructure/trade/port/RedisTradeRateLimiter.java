package com.groupbuy.market.infrastructure.trade.port;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.trade.adapter.port.ITradeRateLimiter;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.CommonOptions;
import org.redisson.client.RedisException;

/**
 * #17: Redisson's {@link RRateLimiter} (a Lua script over a Redis key per bucket: at most {@code rate} permits in
 * any one-second window, across every instance). The rate is part of the key, so a rate changed at run time is a
 * new bucket every instance agrees on without a reset race, and the old one expires by itself. Each instance
 * remembers which buckets it set up; a bucket that expired in Redis meanwhile is set up again. Every call goes
 * through the Redis breaker: Redis unreachable = {@code E0401} / 503 (fail closed), counted in
 * {@code gbm.ratelimit.unavailable}, never an unlimited admit. {@code gbm.ratelimit.refused} counts Redis's refusals
 * and those the instance decides itself meanwhile.
 * <p>
 * A bucket is kept {@link #IDLE_LIFETIME} after its last use, not an hour: the rate is checked before anything tells
 * whether the pair is anyone's, so each made-up source + channel (and each user of one) gets buckets, and a flood of
 * distinct made-up pairs held Redis memory for its rate times the keep-alive. See {@link #keptFor}.
 */
public class RedisTradeRateLimiter implements ITradeRateLimiter {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    /**
     * How long a bucket stays in Redis after its last use. The script is a sliding window, not a refilling bucket: it
     * logs each permit with its instance's time and releases it one window later, so a window after its last permit
     * a bucket holds nothing a missing one would not (a missing one is set up full). Nothing else lives in it: the
     * rate is in the key, so a limit changed at run time is another bucket. Dropped before an instance whose clock is
     * behind the taker's would release a permit, it only ends that instance's refusing on it; never before a window
     * of real time has passed, so it never admits more. The second beyond the window covers the gap between a
     * permit's stamp and the script's run, and outlasts this instance's memory of a set-up (half of it).
     */
    static final Duration IDLE_LIFETIME = WINDOW.plusSeconds(1);

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RedisOutages outages;
    private final Duration pairKept;
    private final Duration userKept;
    private final Cache<String, Boolean> setUp;
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
        this.redisson = redisson;
        this.keys = keys;
        this.outages = outages;
        this.pairKept = keptFor(pairKeepAlive);
        this.userKept = keptFor(userKeepAlive);
        // Forgotten well before a bucket leaves Redis, and bounded: per-user buckets are many.
        this.setUp = CacheBuilder.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Math.min(userKept.toMillis(), pairKept.toMillis()) / 2, TimeUnit.MILLISECONDS)
                .build();
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
        boolean admitted = acquire(
                keys.key("ratelimit", "pair", literal(source), literal(channel), Integer.toString(perSecond)),
                perSecond,
                pairKept);
        if (!admitted) {
            pairRefused.increment();
        }
        return admitted;
    }

    @Override
    public boolean tryAcquireUser(String source, String channel, String userId, int perSecond) {
        boolean admitted = acquire(
                keys.key(
                        "ratelimit",
                        "user",
                        literal(source),
                        literal(channel),
                        literal(userId),
                        Integer.toString(perSecond)),
                perSecond,
                userKept);
        if (!admitted) {
            userRefused.increment();
        }
        return admitted;
    }

    /**
     * How long a bucket stays after its last use: {@link #IDLE_LIFETIME}, or the configured keep-alive when shorter (at
     * least a window: Redisson refuses less). A bucket set up before 2026-12-05 keeps the keep-alive it was given
     * (Redisson sets a bucket's settings once) until it goes unused that long.
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
     * A part of a bucket's name as sent by a partner, made safe for a key ({@link RedisKeys#literal}). The rate limiter
     * keeps a bucket in several keys, naming the others {@code {name}:value} and so on, and Redis Cluster hashes a key
     * by its first pair of braces: a brace in a user id gave the bucket's keys different slots, and every lock and
     * settlement of that buyer failed with CROSSSLOT (HTTP 500) while a user limit was on. Colons are escaped too
     * ({@link RedisKeys#part}): another pair's user whose parts joined to the same text shared the buyer's bucket.
     */
    static String literal(String part) {
        return RedisKeys.part(part);
    }

    private boolean acquire(String name, int perSecond, Duration keepAlive) {
        try {
            return outages.call(() -> {
                // One attempt (no resend after a timeout, when a permit may have been taken); RedisOutages sends
                // it again only when the write provably failed.
                RRateLimiter limiter =
                        redisson.getRateLimiter(CommonOptions.name(name).retryAttempts(0));
                if (setUp.getIfPresent(name) == null) {
                    limiter.trySetRate(RateType.OVERALL, perSecond, WINDOW, keepAlive);
                    setUp.put(name, Boolean.TRUE);
                }
                try {
                    return limiter.tryAcquire();
                } catch (RedisException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("not initialized")) {
                        throw e;
                    }
                    // Expired in Redis while this instance still remembered it: set it up again.
                    limiter.trySetRate(RateType.OVERALL, perSecond, WINDOW, keepAlive);
                    return limiter.tryAcquire();
                }
            });
        } catch (RuntimeException e) {
            if (RedisOutages.isOutage(e)
                    || e instanceof com.groupbuy.market.types.exception.DependencyUnavailableException) {
                unavailable.increment();
            }
            throw e;
        }
    }
}
