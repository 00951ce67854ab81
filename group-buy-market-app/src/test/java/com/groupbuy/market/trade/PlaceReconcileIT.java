package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.service.place.RefusalLooks;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 13 item 6: a Redis place counter left above the database by a crash is brought back, a joiner then gets in,
 * a lock in flight is not mistaken for an error, and reconciling during a lock burst never lets a team past its target.
 * Issue 19: the sweep pages by (validity end, row id) on the real database, and one cut by its run's deadline goes on
 * from there at the next run, so a crash-left counter past what one run reaches is still corrected.
 */
@IntegrationTest
// The sweep and the team look alone: a refused join here waits for them (PlaceRefusalReconcileIT: it does not).
@TestPropertySource(
        properties = {"gbm.places.quiet-period=0s", "gbm.places.on-start=false", "gbm.places.on-refusal=false"})
class PlaceReconcileIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(13600);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TeamPlaceReconciler reconciler;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    RedissonClient redisson;

    @Autowired
    ITeamPlaceRepository placeRepository;

    @Autowired
    MeterRegistry meters;

    private long activityId;
    private TradeClient mall;

    @BeforeEach
    void goods() {
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
    }

    @Test
    void counterLeftHighByACrashAfterCommitIsCorrectedAndTheNextJoinerGetsIn() throws Exception {
        String teamId = mall.team("a1", "a2");
        // The state a kill -9 between a refund's commit and its release leaves: one place too many, none in flight.
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);
        assertThat(mall.lock("a3", teamId).path("code").asText()).isEqualTo("E0008");
        double before = corrections("high");

        int corrected = reconciler.reconcile(0, 1, Instant.now().plusSeconds(30));

        assertThat(corrected).isEqualTo(1);
        assertThat(corrections("high") - before).isEqualTo(1.0);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(mall.lock("a3", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    /**
     * A refund that committed but could not give its place back (Redis down after the commit) leaves the counter one
     * high; the reconciler brings it to the database's count. The give-back still owed must then be void: the mall's
     * repeat of the refund (or the refund event, or a close check) gave the same place back a second time, and the
     * counter stayed one below the database, admitting a joiner the database then refused.
     */
    @Test
    void aPlaceTheReconcilerAlreadyCountedBackIsNotGivenBackAgainByTheRefundsRepeat() throws Exception {
        String teamId = mall.team("r1", "r2", "r3");
        assertThat(mall.refund("r3").path("data").path("code").asText()).isEqualTo("success");
        String orderId = jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = 'r3' AND team_id = ?", String.class, teamId);
        // The state a refund whose after-commit release failed leaves: committed, its place still counted in Redis.
        redisson.getBucket(reservation.releasedKey(teamId, orderId)).delete();
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);

        assertThat(reconciler.reconcileTeam(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        assertThat(mall.refund("r3").path("data").path("code").asText()).isEqualTo("repeat");

        assertThat(counts.redisPlaces(teamId))
                .as("the reconciler counted that place back already")
                .isEqualTo(counts.lockCount(teamId))
                .isEqualTo(2);
        assertThat(mall.lock("r4", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(counts.redisPlaces(teamId))
                .isEqualTo(counts.lockCount(teamId))
                .isEqualTo(3);
    }

    @Test
    void reservationOfAProcessThatDiedBeforeItsWriteIsDroppedButOneInFlightIsKept() throws Exception {
        String teamId = mall.team("b1");
        Instant end = Instant.now().plus(10, ChronoUnit.MINUTES);
        String dead = ITeamPlaceReservation.holder(new PartnerOrderKey("s01", "c01", "b-dead", "out-b-dead"));
        String live = ITeamPlaceReservation.holder(new PartnerOrderKey("s01", "c01", "b-live", "out-b-live"));
        assertThat(reservation.reserve(teamId, dead, 3, 1, end)).isTrue();
        assertThat(reservation.reserve(teamId, live, 3, 1, end)).isTrue();
        // The dead one reserved ten minutes ago and never wrote its row; the live one is a lock still on its way.
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE)
                .put(
                        "t:" + dead,
                        Long.toString(
                                Instant.now().minus(10, ChronoUnit.MINUTES).toEpochMilli()));
        assertThat(mall.lock("b2", teamId).path("code").asText()).isEqualTo("E0008");

        assertThat(reconciler.reconcileTeam(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(reconciler.reconcileTeam(teamId))
                .as("the live reservation is not an error")
                .isZero();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        assertThat(mall.lock("b2", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    @Test
    void reconcilingThroughALockBurstNeverLetsATeamPastItsTargetAndFillsIt() throws Exception {
        int target = 8;
        jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", target, activityId);
        String teamId = mall.team("c0");
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);

        AtomicBoolean bursting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(17);
        Future<Integer> reconciling = pool.submit(() -> {
            int runs = 0;
            while (bursting.get()) {
                reconciler.reconcileTeam(teamId);
                runs++;
            }
            return runs;
        });
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> buyers = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            String user = "c" + i;
            buyers.add(pool.submit(() -> {
                start.await();
                // A buyer refused "no place" tries again while the team may still have one.
                for (int attempt = 0; attempt < 40; attempt++) {
                    JsonNode answer = mall.lock(user, teamId);
                    String code = answer.path("code").asText();
                    answers.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                    if (!"E0008".equals(code)) {
                        return null;
                    }
                    Thread.sleep(25);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> buyer : buyers) {
            buyer.get(120, TimeUnit.SECONDS);
        }
        bursting.set(false);
        int runs = reconciling.get(30, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(runs).isPositive();
        assertThat(answers.get("0000").get()).as("answers %s", answers).isEqualTo(target - 1);
        assertThat(answers)
                .as("the gate never let more through than the team row takes")
                .doesNotContainKey("E0005");
        assertThat(counts.lockCount(teamId)).isEqualTo(target);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(target);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(target);
    }

    @Test
    void counterLeftHighOnTheLastOpenTeamIsCorrectedByTheRunsThatFollowARunCutByItsDeadline() throws Exception {
        mall.team("d1");
        mall.team("d2");
        mall.team("d3");
        String teamId = mall.team("d4", "d5");
        // Last in the sweep's order: the latest validity end of every open team.
        jdbc.update(
                "UPDATE group_buy_order SET valid_end_time = UTC_TIMESTAMP(3) + INTERVAL 100 DAY WHERE team_id = ?",
                teamId);
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);
        int open = jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order WHERE status = 0 AND valid_end_time > UTC_TIMESTAMP(3)",
                Integer.class);
        // Pages of about a sixth of the open teams, and a run budget of at most two pages: a sweep takes several runs.
        int pageSize = Math.max(1, open / 6);
        TickingClock clock = new TickingClock(Instant.now());
        List<Integer> offs = new ArrayList<>();
        TeamPlaceReconciler slow = new TeamPlaceReconciler(
                placeRepository,
                reservation,
                clock,
                Duration.ofMinutes(2),
                Duration.ZERO,
                pageSize,
                Duration.ofSeconds(60),
                offs::add,
                RefusalLooks.on(n -> {}),
                new RunStop());

        assertThat(slow.reconcileIfDue(0, 1, clock.peek().plusSeconds(4))).isZero();
        assertThat(counts.redisPlaces(teamId))
                .as("the first run was cut before the team")
                .isEqualTo(3);
        int runs = 1;
        int corrected = 0;
        while (corrected == 0 && runs < open + 2) {
            clock.advance(Duration.ofSeconds(61));
            corrected = slow.reconcileIfDue(0, 1, clock.peek().plusSeconds(4));
            runs++;
        }

        assertThat(corrected).isEqualTo(1);
        assertThat(offs).containsExactly(1);
        // Each run reads at least one page and never starts over: the last team is reached within a run per page.
        assertThat(runs)
                .as("runs to reach the last of %d open teams in pages of %d", open, pageSize)
                .isLessThanOrEqualTo((open + pageSize - 1) / pageSize + 1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(mall.lock("d6", teamId).path("code").asText()).isEqualTo("0000");
    }

    /** A clock whose reading moves a second each time it is read (a run's deadline then allows two pages). */
    private static final class TickingClock extends Clock {
        private Instant now;

        TickingClock(Instant now) {
            this.now = now;
        }

        synchronized Instant peek() {
            return now;
        }

        synchronized void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public synchronized Instant instant() {
            Instant reading = now;
            now = now.plusSeconds(1);
            return reading;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private double corrections(String direction) {
        var counter = meters.find("gbm.team.places.corrections")
                .tag("direction", direction)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
