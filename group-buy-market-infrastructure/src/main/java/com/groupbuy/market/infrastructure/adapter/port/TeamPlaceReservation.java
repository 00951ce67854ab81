package com.groupbuy.market.infrastructure.adapter.port;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Team places as a Redis counter changed only by Lua scripts, so check-and-take is one atomic round trip. The
 * counter outlives the team by a day and is seeded from the database when missing.
 */
@Component
public class TeamPlaceReservation implements ITeamPlaceReservation {

    private static final String RESERVE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
            end
            if redis.call('INCR', KEYS[1]) > tonumber(ARGV[1]) then
              redis.call('DECR', KEYS[1])
              return 0
            end
            return 1
            """;

    private static final String RESERVE_NEW = """
            if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
              return 1
            end
            return 0
            """;

    private static final String RELEASE = """
            local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
            if taken > 0 then
              return redis.call('DECR', KEYS[1])
            end
            return 0
            """;

    /**
     * Gives an order's place back once: the marker {@code released:<orderId>} is set first and only the call that
     * set it decrements. The marker lives at least as long as the counter, and at least {@link #RELEASE_MARK_TTL}.
     */
    private static final String RELEASE_ORDER = """
            local ttl = math.max(tonumber(ARGV[1]), redis.call('TTL', KEYS[1]))
            if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ttl) then
              return 0
            end
            local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
            if taken > 0 then
              redis.call('DECR', KEYS[1])
            end
            return 1
            """;

    private static final Duration KEEP_AFTER_TEAM_END = Duration.ofDays(1);
    /**
     * How long an order's release marker is kept at least: longer than a refund message can still arrive (its
     * task retries for about a day, delivered tasks are kept 7 days), so a late redelivery never gives twice.
     */
    private static final Duration RELEASE_MARK_TTL = Duration.ofDays(8);

    private final RedissonClient redisson;
    private final RScript script;
    private final RedisKeys keys;
    private final Clock clock;

    public TeamPlaceReservation(RedissonClient redisson, RedisKeys keys, Clock clock) {
        this.redisson = redisson;
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public boolean reserve(String teamId, int target, int lockedInDb, Instant validEnd) {
        Long taken = script.eval(RScript.Mode.READ_WRITE, RESERVE, RScript.ReturnType.INTEGER, List.of(key(teamId)),
                Integer.toString(target), Integer.toString(lockedInDb), Long.toString(ttl(validEnd)));
        return taken != null && taken == 1L;
    }

    @Override
    public boolean reserveNew(String teamId, Instant validEnd) {
        Long taken = script.eval(RScript.Mode.READ_WRITE, RESERVE_NEW, RScript.ReturnType.INTEGER,
                List.of(key(teamId)), Long.toString(ttl(validEnd)));
        return taken != null && taken == 1L;
    }

    @Override
    public void release(String teamId) {
        script.eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.INTEGER, List.of(key(teamId)));
    }

    @Override
    public boolean releaseOrder(String teamId, String orderId) {
        Long released = script.eval(RScript.Mode.READ_WRITE, RELEASE_ORDER, RScript.ReturnType.INTEGER,
                List.of(key(teamId), releasedKey(orderId)), Long.toString(RELEASE_MARK_TTL.getSeconds()));
        return released != null && released == 1L;
    }

    private long ttl(Instant validEnd) {
        return Math.max(60, Duration.between(Instant.now(clock), validEnd).plus(KEEP_AFTER_TEAM_END).getSeconds());
    }

    @Override
    public void discard(String teamId) {
        redisson.getBucket(key(teamId), StringCodec.INSTANCE).delete();
    }

    /** The marker of an order whose place was given back; public so tests and operators can read it. */
    public String releasedKey(String orderId) {
        return keys.key("released", orderId);
    }

    /** The counter's key; public so tests and operators can compare it with the database. */
    public String key(String teamId) {
        return keys.key("team", "places", teamId);
    }
}
