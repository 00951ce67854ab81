package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation.OpenedTeam;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TradeClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * What a lock sends to Redis (#19), counted by a redis-server of this test's own ({@code INFO commandstats}): one
 * {@code EVALSHA} per lock and never the script text ({@code EVAL}); after the scripts were flushed or Redis
 * restarted empty, one {@code SCRIPT LOAD} and the lock goes through.
 */
@IntegrationTest
@PrivateRedisServer
// The reconciler's scripts would count as well: it runs at start only, before any team exists.
@TestPropertySource(properties = "gbm.places.interval=1h")
class PlaceScriptCommandsIT {

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamCounts counts;

    @Autowired
    TeamPlaceReservation places;

    @Test
    void eachLockIsOneEvalshaAndNoLockSendsTheScriptText() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19_600, "http://127.0.0.1:1/cb");
        String warm = mall.team("warm-1", "warm-2");

        Map<String, Long> before = calls();
        String teamId = mall.team("c1", "c2", "c3");
        String other = mall.team("d1");
        assertThat(mall.lock("warm-3", warm).path("code").asText()).isEqualTo("0000");
        Map<String, Long> after = calls();

        // 5 locks: two teams opened (COUNT_OPENED after each commit), three joins (RESERVE).
        assertThat(delta(before, after, "evalsha"))
                .as("one script call per lock")
                .isEqualTo(5);
        assertThat(delta(before, after, "eval")).as("no script text sent").isZero();
        assertThat(delta(before, after, "script|load")).isZero();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(other)).isEqualTo(1);
        assertThat(counts.redisPlaces(warm)).isEqualTo(3);
    }

    /**
     * #19: an opening's counter is made after its row committed: with its one place, not over a counter a join seeded
     * meanwhile, and not at all once the opening's place was given back (its refund committed first).
     */
    @Test
    void theCountersOfOpenedTeamsAreMadeOnceAndNeverOverAGiveBack() {
        Instant end = Instant.now().plusSeconds(600);
        places.countOpened(List.of(new OpenedTeam("cnt-1", "o-1", end)));
        assertThat(places.placesOf("cnt-1")).as("made with the opening's place").isEqualTo(1);

        assertThat(places.reserve("cnt-2", "joiner", 3, 1, end)).isTrue();
        places.countOpened(List.of(new OpenedTeam("cnt-2", "o-2", end), new OpenedTeam("cnt-3", "o-3", end)));
        assertThat(places.placesOf("cnt-2"))
                .as("a join's seed (the opening + its own) left as it is")
                .isEqualTo(2);
        assertThat(places.placesOf("cnt-3")).isEqualTo(1);

        assertThat(places.releaseOrder("cnt-4", "o-4")).isTrue();
        places.countOpened(List.of(new OpenedTeam("cnt-4", "o-4", end)));
        assertThat(places.placesOf("cnt-4"))
                .as("no counter over a give-back: the first join seeds it")
                .isEqualTo(-1);
    }

    @Test
    void aLockAfterTheScriptsWereLostLoadsItsScriptOnceAndGoesThrough() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19_601, "http://127.0.0.1:1/cb");
        String teamId = mall.team("f1");

        redisson.getScript(StringCodec.INSTANCE).scriptFlush();
        Map<String, Long> before = calls();
        JsonNode joined = mall.lock("f2", teamId);
        Map<String, Long> after = calls();

        assertThat(joined.path("code").asText()).isEqualTo("0000");
        assertThat(delta(before, after, "script|load")).isEqualTo(1);
        assertThat(delta(before, after, "eval")).isZero();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        // A restart comes back without scripts and without the team's counter: seeded again from the database.
        redis.kill();
        redis.startAgain();
        String third = "not sent";
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            Thread.sleep(250);
            try {
                third = mall.lock("f3", teamId).path("code").asText();
            } catch (AssertionError reconnecting) {
                // 503 E0401 until Redisson has reconnected (RedisOutageIT times that part).
                third = reconnecting.getMessage();
            }
        } while (!"0000".equals(third) && System.currentTimeMillis() < deadline);
        assertThat(third).isEqualTo("0000");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(mall.lock("f4", teamId).path("code").asText()).isEqualTo("E0006");
    }

    /** Calls per command since the server started, e.g. {@code evalsha -> 12}. */
    private Map<String, Long> calls() {
        Map<String, String> stats =
                redisson.getRedisNodes(RedisNodes.SINGLE).getInstance().info(RedisNode.InfoSection.COMMANDSTATS);
        Map<String, Long> calls = new HashMap<>();
        stats.forEach((name, value) -> {
            for (String part : value.split(",")) {
                if (part.startsWith("calls=")) {
                    calls.put(name.replaceFirst("^cmdstat_", ""), Long.parseLong(part.substring(6)));
                }
            }
        });
        return calls;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }
}
