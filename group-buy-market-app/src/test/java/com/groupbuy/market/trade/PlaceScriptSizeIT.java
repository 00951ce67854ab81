package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.SlowLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Redis runs one script at a time, and every lock waits behind the one running: no place script may grow with a team
 * or a page. A team may have 10,000 members (ActivityVO.MAX_TARGET) and any number of orders that left it; a sweep
 * page may hold 10,000 teams (gbm.places.page-size). Until 2026-12-06 the reconcile of such a team was one script over
 * the whole hash and a release marker per closed order (0.5 s with 10,000 of each, docs/benchmarks.md), and a sweep
 * page one script over all its counters. Each command is read back from this test's own Redis (SLOWLOG).
 */
@IntegrationTest
@PrivateRedisServer
// No sweep of the app's own meanwhile: its commands would be logged too.
@TestPropertySource(properties = {"gbm.places.interval=1h", "gbm.places.on-start=false"})
class PlaceScriptSizeIT {

    /** Arguments one command may carry: a page of keys or holders and a few more. */
    private static final int MOST_ARGUMENTS = 220;

    @Autowired
    PrivateRedis redis;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamPlaceReservation places;

    @Test
    void aTeamOfTenThousandWithAsManyClosedOrdersIsReconciledInScriptsOfAPageEach() throws Exception {
        String teamId = "size-team";
        int members = 10_000;
        int closed = 10_000;
        RMap<String, String> hash = redisson.getMap(places.key(teamId), StringCodec.INSTANCE);
        List<String> holdersInDb = new ArrayList<>();
        List<String> closedOrderIds = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < members + closed; i++) {
            String holder = "4:s0014:c00110:u" + i + ":T" + (1_000_000L + i);
            holdersInDb.add(holder);
            if (i >= members) {
                closedOrderIds.add("order-" + i);
            }
            fields.put("h:" + holder, "1");
            fields.put("t:" + holder, "1000");
            if (fields.size() >= 2_000) {
                hash.putAll(fields);
                fields.clear();
            }
        }
        // Three dead reservations (stamped in 1970) and two in flight, taken now by Redis's clock.
        for (int i = 0; i < 3; i++) {
            fields.put("h:dead-" + i, "1");
            fields.put("t:dead-" + i, "1000");
        }
        fields.put("n", Integer.toString(members + 3));
        hash.putAll(fields);
        Instant end = Instant.now().plusSeconds(3_600);
        assertThat(places.reserve(teamId, "live-1", 20_000, members, end)).isTrue();
        assertThat(places.reserve(teamId, "live-2", 20_000, members, end)).isTrue();

        SlowLog log = SlowLog.start(redis);
        int off = places.reconcile(teamId, members, holdersInDb, closedOrderIds, Duration.ofMinutes(2));
        List<SlowLog.Entry> sent = log.entries();

        assertThat(off).as("the three dead reservations taken off").isEqualTo(3);
        assertThat(places.placesOf(teamId)).isEqualTo(members + 2);
        assertThat(hash.containsKey("h:dead-0")).isFalse();
        assertThat(hash.containsKey("h:live-1")).isTrue();
        assertThat(redisson.getBucket(places.releasedKey(teamId, "order-" + members), StringCodec.INSTANCE)
                        .isExists())
                .as("the first closed order's place marked as given back")
                .isTrue();
        assertThat(redisson.getBucket(
                                places.releasedKey(teamId, "order-" + (members + closed - 1)), StringCodec.INSTANCE)
                        .isExists())
                .as("and the last one's")
                .isTrue();
        assertNoCommandGrew(sent);
    }

    @Test
    void aSweepPageOfTenThousandTeamsIsReadInScriptsOfAPageEach() throws Exception {
        List<String> teamIds = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(3_600);
        for (int i = 0; i < 10_000; i++) {
            teamIds.add("page-team-" + i);
        }
        assertThat(places.reserve("page-team-9999", "only", 5, 1, end)).isTrue();

        SlowLog log = SlowLog.start(redis);
        Map<String, Integer> counters = places.places(teamIds);
        List<SlowLog.Entry> sent = log.entries();

        assertThat(counters).containsExactly(Map.entry("page-team-9999", 2));
        assertNoCommandGrew(sent);
    }

    private static void assertNoCommandGrew(List<SlowLog.Entry> sent) {
        assertThat(sent).as("commands sent").isNotEmpty();
        long slowest = sent.stream().mapToLong(SlowLog.Entry::micros).max().orElse(0);
        assertThat(sent.stream()
                        .filter(entry -> entry.arguments() > MOST_ARGUMENTS)
                        .toList())
                .as(
                        "commands over a page of arguments (slowest command %d µs): Redis answers no lock while one runs",
                        slowest)
                .isEmpty();
    }
}
