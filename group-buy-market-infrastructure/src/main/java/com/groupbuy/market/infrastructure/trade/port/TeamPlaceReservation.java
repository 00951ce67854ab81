package com.groupbuy.market.infrastructure.trade.port;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * Team places in one Redis hash per team, changed only by Lua scripts so check-and-take is one atomic round trip.
 * Field {@code n} counts the places taken (committed in the database plus in flight); {@code h:<holder>} counts the
 * attempts of one order sharing its place and {@code t:<holder>} says when that order first reserved, in milliseconds of
 * Redis's own clock ({@code TIME}), the clock its staleness is judged on: stamped by the reserving instance's clock and
 * judged by the reconciling one's, a reservation made on an instance minutes behind looked dead at once. A holder field
 * stays after its lock commits, so a late retry of the same order still shares instead of taking a second place.
 * The hash outlives the team by a day and is seeded from the database when missing.
 */
@Component
public class TeamPlaceReservation implements ITeamPlaceReservation {

    /**
     * 1 taken, 2 shared with an earlier attempt of the same order, 0 refused (full). Sharing renews the holder's
     * time: a retry reusing the place of an attempt that died is itself in flight, not stale.
     */
    private static final String RESERVE = """
            if redis.call('HEXISTS', KEYS[1], 'n') == 0 then
              redis.call('HSET', KEYS[1], 'n', ARGV[2])
              redis.call('EXPIRE', KEYS[1], ARGV[3])
            end
            local holder = 'h:' .. ARGV[4]
            local t = redis.call('TIME')
            local since = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
            if redis.call('HEXISTS', KEYS[1], holder) == 1 then
              redis.call('HINCRBY', KEYS[1], holder, 1)
              redis.call('HSET', KEYS[1], 't:' .. ARGV[4], since)
              return 2
            end
            if tonumber(redis.call('HGET', KEYS[1], 'n')) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HINCRBY', KEYS[1], 'n', 1)
            redis.call('HSET', KEYS[1], holder, 1, 't:' .. ARGV[4], since)
            return 1
            """;

    private static final String CANCEL = """
            local holder = 'h:' .. ARGV[1]
            if redis.call('HEXISTS', KEYS[1], holder) == 0 then
              return 0
            end
            if redis.call('HINCRBY', KEYS[1], holder, -1) > 0 then
              return 0
            end
            redis.call('HDEL', KEYS[1], holder, 't:' .. ARGV[1])
            if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then
              redis.call('HINCRBY', KEYS[1], 'n', -1)
            end
            return 1
            """;

    private static final String RELEASE = """
            if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then
              return redis.call('HINCRBY', KEYS[1], 'n', -1)
            end
            return 0
            """;

    /**
     * KEYS: the team's hash, then up to {@link #SCRIPT_PAGE} release markers of its closed orders; ARGV: the markers'
     * least lifetime. Marks those orders' places as given back (as {@link #RELEASE_ORDER} does: the lock count no
     * longer holds them, so a give-back still owed for one is void).
     */
    private static final String MARK_RELEASED = """
            local ttl = math.max(tonumber(ARGV[1]), redis.call('TTL', KEYS[1]))
            for i = 2, #KEYS do
              redis.call('SET', KEYS[i], '1', 'NX', 'EX', ttl)
            end
            return 0
            """;

    /**
     * KEYS: the team's hash; ARGV: stale-after millis, then up to {@link #SCRIPT_PAGE} holders without an order row.
     * Drops those whose reservation is older than stale-after by Redis's clock (one renewed by a retry since is not).
     */
    private static final String DROP_STALE = """
            local t = redis.call('TIME')
            local staleBefore = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
            local dropped = 0
            for i = 2, #ARGV do
              local holder = ARGV[i]
              if redis.call('HEXISTS', KEYS[1], 'h:' .. holder) == 1
                  and tonumber(redis.call('HGET', KEYS[1], 't:' .. holder) or '0') < staleBefore then
                redis.call('HDEL', KEYS[1], 'h:' .. holder, 't:' .. holder)
                dropped = dropped + 1
              end
            end
            return dropped
            """;

    /**
     * KEYS: the team's hash, whose fields are n and a pair h:/t: per holder; ARGV: lock count, the holders with an order
     * row that have a field. Every other holder is in flight (the stale ones were dropped), however many came since
     * the hash was read: n becomes lock count + (HLEN - 1) / 2 - ARGV[2]. Returns old n minus new n.
     */
    private static final String SET_TRUTH = """
            local current = redis.call('HGET', KEYS[1], 'n')
            if not current then
              return 0
            end
            local inFlight = (redis.call('HLEN', KEYS[1]) - 1) / 2 - tonumber(ARGV[2])
            local truth = tonumber(ARGV[1]) + math.max(0, math.floor(inFlight))
            local off = tonumber(current) - truth
            if off ~= 0 then
              redis.call('HSET', KEYS[1], 'n', truth)
            end
            return off
            """;

    /**
     * Most keys or holders one reconcile script touches, and the fields one HSCAN step of its read asks for: Redis runs
     * one script at a time, and one script over a whole team (10,000 members, and every order that left it) held every
     * lock behind it for half a second and more (docs/operations.md, "Redis scripts and how long they can run").
     */
    static final int SCRIPT_PAGE = 200;

    /**
     * Gives an order's place back once: the marker {@code released:<orderId>} is set first and only the call that
     * set it decrements. The marker lives at least as long as the counter, and at least {@link #RELEASE_MARK_TTL}.
     */
    private static final String RELEASE_ORDER = """
            local ttl = math.max(tonumber(ARGV[1]), redis.call('TTL', KEYS[1]))
            if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ttl) then
              return 0
            end
            if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then
              redis.call('HINCRBY', KEYS[1], 'n', -1)
            end
            return 1
            """;

    /**
     * KEYS: per team whose opening lock committed, its counter and its opening order's release marker; ARGV: each
     * counter's lifetime in seconds. A counter a join seeded meanwhile (from the committed team row) is left as it is;
     * none is made for an opening whose place was given back already (the row no longer counts it).
     */
    private static final String COUNT_OPENED = """
            for i = 1, #KEYS, 2 do
              if redis.call('EXISTS', KEYS[i + 1]) == 0 and redis.call('HSETNX', KEYS[i], 'n', 1) == 1 then
                redis.call('EXPIRE', KEYS[i], ARGV[(i + 1) / 2])
              end
            end
            return 0
            """;

    /**
     * The place counters of a page of teams in one command (single node only: the keys span slots), each as a
     * string, false (nil) where a team has none: one reply instead of a batch of one HGET per team.
     */
    private static final String PLACES = """
            local n = {}
            for i, key in ipairs(KEYS) do
              n[i] = redis.call('HGET', key, 'n')
            end
            return n
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
    private final RedisOutages outages;

    public TeamPlaceReservation(RedissonClient redisson, RedisKeys keys, Clock clock, RedisOutages outages) {
        this.redisson = redisson;
        // One attempt per call: Redisson's own retry would send a script again after a response timeout, when it may
        // have run (a join taking two places, a release giving two back). RedisOutages sends it again only when the
        // write provably failed.
        this.script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        this.keys = keys;
        this.clock = clock;
        this.outages = outages;
    }

    @Override
    public boolean reserve(String teamId, String holder, int target, int lockedInDb, Instant validEnd) {
        Long taken = eval(
                RESERVE,
                teamId,
                Integer.toString(target),
                Integer.toString(lockedInDb),
                Long.toString(ttl(validEnd)),
                holder);
        return taken != null && taken > 0;
    }

    /**
     * On a single node one script for every team of the batch; on a Redis Cluster their keys are in different slots,
     * so the same script per team (its counter and marker share the team's slot) in one batch, split by node.
     */
    @Override
    public void countOpened(List<OpenedTeam> opened) {
        if (opened.isEmpty()) {
            return;
        }
        if (!keys.slotTagged()) {
            List<Object> scriptKeys = new ArrayList<>(opened.size() * 2);
            List<Object> lifetimes = new ArrayList<>(opened.size());
            for (OpenedTeam team : opened) {
                scriptKeys.add(key(team.teamId()));
                scriptKeys.add(releasedKey(team.teamId(), team.orderId()));
                lifetimes.add(Long.toString(ttl(team.validEnd())));
            }
            outages.call(() -> script.<Long>eval(
                    RScript.Mode.READ_WRITE,
                    COUNT_OPENED,
                    RScript.ReturnType.INTEGER,
                    scriptKeys,
                    lifetimes.toArray()));
            return;
        }
        outages.call(() -> {
            RBatch batch = redisson.createBatch(BatchOptions.defaults().retryAttempts(0));
            for (OpenedTeam team : opened) {
                batch.getScript(StringCodec.INSTANCE)
                        .evalAsync(
                                RScript.Mode.READ_WRITE,
                                COUNT_OPENED,
                                RScript.ReturnType.INTEGER,
                                List.of(key(team.teamId()), releasedKey(team.teamId(), team.orderId())),
                                Long.toString(ttl(team.validEnd())));
            }
            batch.execute();
            return null;
        });
    }

    @Override
    public void cancel(String teamId, String holder) {
        eval(CANCEL, teamId, holder);
    }

    @Override
    public void release(String teamId) {
        eval(RELEASE, teamId);
    }

    /**
     * On a single node one script reads the page's counters (one command, one reply of strings); on a Redis Cluster
     * the keys are in different slots, so a batch of one HGET per team, which Redisson splits by node.
     */
    @Override
    public Map<String, Integer> places(Collection<String> teamIds) {
        if (teamIds.isEmpty()) {
            return Map.of();
        }
        if (!keys.slotTagged()) {
            return placesByScript(List.copyOf(teamIds));
        }
        // A batch runs once: a call sent again (a stale connection) builds a new one.
        Map<String, RFuture<String>> pending = outages.call(() -> {
            RBatch batch = redisson.createBatch(BatchOptions.defaults().retryAttempts(0));
            Map<String, RFuture<String>> replies = new LinkedHashMap<>();
            for (String teamId : teamIds) {
                replies.put(
                        teamId,
                        batch.<String, String>getMap(key(teamId), StringCodec.INSTANCE)
                                .getAsync("n"));
            }
            batch.execute();
            return replies;
        });
        Map<String, Integer> places = new LinkedHashMap<>();
        pending.forEach((teamId, future) -> {
            String n = future.toCompletableFuture().join();
            if (n != null) {
                places.put(teamId, Integer.parseInt(n));
            }
        });
        return places;
    }

    /** At most {@link #SCRIPT_PAGE} counters a script: a page of 10,000 teams in one held Redis for 40-130 ms. */
    private Map<String, Integer> placesByScript(List<String> teamIds) {
        Map<String, Integer> places = new LinkedHashMap<>();
        for (int from = 0; from < teamIds.size(); from += SCRIPT_PAGE) {
            List<String> part = teamIds.subList(from, Math.min(teamIds.size(), from + SCRIPT_PAGE));
            List<Object> pageKeys = new ArrayList<>(part.size());
            for (String teamId : part) {
                pageKeys.add(key(teamId));
            }
            List<Object> counters = outages.call(() ->
                    script.<List<Object>>eval(RScript.Mode.READ_ONLY, PLACES, RScript.ReturnType.MULTI, pageKeys));
            for (int i = 0; i < part.size() && i < counters.size(); i++) {
                // Lua's false (no counter) comes back as null; a counter as its string.
                Object n = counters.get(i);
                if (n != null) {
                    places.put(part.get(i), Integer.parseInt(n.toString()));
                }
            }
        }
        return places;
    }

    /**
     * In steps of at most {@link #SCRIPT_PAGE} keys or holders each, so no one script grows with the team: the closed
     * orders' markers, then the hash read by HSCAN, its holders without a row checked for staleness, and last n set
     * from the hash's length. The caller holds the team row, so no holder with a row comes or goes meanwhile; a holder
     * reserving meanwhile adds its pair of fields and is counted in flight, one cancelling takes its pair away (every
     * script writes and drops h: and t: together, and always has). Until 2026-12-06 one script did it all, over every
     * field of the hash and a marker per closed order: 0.5 s for a team of 10,000 with as many closed orders, Redis
     * answering no lock meanwhile (docs/benchmarks.md, "Redis scripts at their largest legal input").
     */
    @Override
    public int reconcile(
            String teamId, int lockCount, List<String> holdersInDb, List<String> closedOrderIds, Duration staleAfter) {
        String team = key(teamId);
        String markLifetime = Long.toString(RELEASE_MARK_TTL.getSeconds());
        for (int from = 0; from < closedOrderIds.size(); from += SCRIPT_PAGE) {
            List<Object> scriptKeys = new ArrayList<>(SCRIPT_PAGE + 1);
            scriptKeys.add(team);
            closedOrderIds
                    .subList(from, Math.min(closedOrderIds.size(), from + SCRIPT_PAGE))
                    .forEach(orderId -> scriptKeys.add(releasedKey(teamId, orderId)));
            outages.call(() -> script.<Long>eval(
                    RScript.Mode.READ_WRITE, MARK_RELEASED, RScript.ReturnType.INTEGER, scriptKeys, markLifetime));
        }
        Set<String> fields = outages.call(() -> {
            Set<String> read = new HashSet<>();
            redisson.<String, String>getMap(team, StringCodec.INSTANCE)
                    .keySet(SCRIPT_PAGE)
                    .forEach(read::add);
            return read;
        });
        String staleMillis = Long.toString(staleAfter.toMillis());
        Set<String> inDb = new HashSet<>(holdersInDb);
        List<String> withoutRow = new ArrayList<>();
        int withRow = 0;
        for (String field : fields) {
            if (field.startsWith("h:")) {
                if (inDb.contains(field.substring(2))) {
                    withRow++;
                } else {
                    withoutRow.add(field.substring(2));
                }
            }
        }
        for (int from = 0; from < withoutRow.size(); from += SCRIPT_PAGE) {
            List<Object> args = new ArrayList<>(SCRIPT_PAGE + 1);
            args.add(staleMillis);
            args.addAll(withoutRow.subList(from, Math.min(withoutRow.size(), from + SCRIPT_PAGE)));
            outages.call(() -> script.<Long>eval(
                    RScript.Mode.READ_WRITE, DROP_STALE, RScript.ReturnType.INTEGER, List.of(team), args.toArray()));
        }
        String present = Integer.toString(withRow);
        return intOf(outages.call(() -> script.<Long>eval(
                RScript.Mode.READ_WRITE,
                SET_TRUTH,
                RScript.ReturnType.INTEGER,
                List.of(team),
                Integer.toString(lockCount),
                present)));
    }

    private static int intOf(Long off) {
        return off == null ? 0 : off.intValue();
    }

    /** The counter of a team, -1 when it does not exist; for tests and operators comparing it with the database. */
    public int placesOf(String teamId) {
        Object n = redisson.getMap(key(teamId), StringCodec.INSTANCE).get("n");
        return n == null ? -1 : Integer.parseInt(n.toString());
    }

    /** One script on the team's hash, through the Redis breaker (E0401 when Redis is down). */
    private Long eval(String lua, String teamId, Object... args) {
        return outages.call(() -> script.<Long>eval(
                RScript.Mode.READ_WRITE, lua, RScript.ReturnType.INTEGER, List.of(key(teamId)), args));
    }

    @Override
    public boolean releaseOrder(String teamId, String orderId) {
        Long released = outages.call(() -> script.<Long>eval(
                RScript.Mode.READ_WRITE,
                RELEASE_ORDER,
                RScript.ReturnType.INTEGER,
                List.of(key(teamId), releasedKey(teamId, orderId)),
                Long.toString(RELEASE_MARK_TTL.getSeconds())));
        return released != null && released == 1L;
    }

    private long ttl(Instant validEnd) {
        return Math.max(
                60,
                Duration.between(Instant.now(clock), validEnd)
                        .plus(KEEP_AFTER_TEAM_END)
                        .getSeconds());
    }

    /**
     * The marker of an order whose place was given back; public so tests and operators can read it. The release
     * script touches it together with the team's hash, so in cluster mode it carries the team's slot; on a single
     * node it keeps its earlier name, so markers written before an upgrade still stop a second release.
     */
    public String releasedKey(String teamId, String orderId) {
        return keys.slotTagged() ? keys.key("released", keys.slot(teamId), orderId) : keys.key("released", orderId);
    }

    /**
     * The team's hash (a new key name: the plain counters of earlier versions are left to expire). Its name on a
     * single node is unchanged by cluster support; in cluster mode the team id is its hash tag.
     */
    public String key(String teamId) {
        return keys.key("team", "place-holds", keys.slot(teamId));
    }
}
