package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TradeClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Our Redis keeps nothing on disk: a restart loses every place counter, holder and release marker while teams are
 * half full. The promise that must hold anyway: no team gets more live members than its target (the database guard
 * decides), the counters come back to the database's count, and no team is left refusing joiners it has room for.
 * The redis-server is this class's own ({@link PrivateRedisServer}), killed and started again empty.
 */
@IntegrationTest
@PrivateRedisServer
// quiet-period 0: the reconciler may look at a team right between a refund's commit and its release (the race).
// stale-after at its least (15 s; 2 min by default): how long a reservation with no order row counts in flight.
@TestPropertySource(
        properties = {"gbm.places.quiet-period=0s", "gbm.places.on-start=false", "gbm.places.stale-after=15s"})
class RedisLostPlacesIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(24_000);
    private static final int TARGET = 3;
    private static final Duration STALE_AFTER = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PrivateRedis redis;

    @Autowired
    TeamCounts counts;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    TeamPlaceReconciler reconciler;

    @Autowired
    RedissonClient redisson;

    /**
     * Each test starts on a Redis the client talks to again: the other test restarts it, and the client's pool may
     * still hold connections the old server closed. Three answers in a row, so the calls that follow do not meet one.
     */
    @BeforeEach
    void redisAnswersAgain() throws InterruptedException {
        for (int answered = 0; answered < 3; answered++) {
            untilRedisAnswers(() -> reservation.places(List.of("no-such-team")));
        }
    }

    @Test
    void redisRestartedEmptyWhileTeamsAreHalfFullThenRacingJoinsAndLateReleasesNeverPassTheTarget() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:1/cb");
        int teamsWanted = 8;
        List<String> teams = new ArrayList<>();
        List<String[]> refunded = new ArrayList<>();
        for (int t = 0; t < teamsWanted; t++) {
            // Two members each; the second refunds (its place given back and its marker set before the loss).
            String teamId = mall.team("h" + t + "a", "h" + t + "b");
            if (t % 2 == 0) {
                mall.settle("h" + t + "b");
            }
            assertThat(mall.refund("h" + t + "b").path("code").asText()).isEqualTo("0000");
            teams.add(teamId);
            refunded.add(new String[] {teamId, orderId("h" + t + "b")});
        }

        redis.kill();
        redis.startAgain();
        awaitRedis(teams.get(0));

        // Racing joiners (each retrying a refusal a few times) while the refund consumer gets the refunds' events
        // late (a redelivery after the restart: their markers are gone) and the reconciler sweeps.
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch start = new CountDownLatch(1);
        Future<?> sweeper = pool.submit(() -> {
            start.await();
            while (running.get()) {
                reconciler.reconcile(0, 1, Instant.now().plusSeconds(5));
                Thread.sleep(5);
            }
            return null;
        });
        Future<?> lateReleases = pool.submit(() -> {
            start.await();
            for (String[] order : refunded) {
                // A stale pooled connection refuses the call before it is sent: the same release again.
                untilRedisAnswers(() -> reservation.releaseOrder(order[0], order[1]));
            }
            return null;
        });
        List<Future<?>> joiners = new ArrayList<>();
        for (int t = 0; t < teamsWanted; t++) {
            String teamId = teams.get(t);
            for (int j = 0; j < 4; j++) {
                String user = "j" + t + "x" + j;
                joiners.add(pool.submit(() -> {
                    start.await();
                    // A refusal is retried a few times; an outage answer (a stale pooled connection after the
                    // restart, the breaker open) is retried as a mall would, within a bound, using no attempt.
                    long deadline = System.currentTimeMillis() + 60_000;
                    int refusals = 0;
                    while (refusals < 20 && System.currentTimeMillis() < deadline) {
                        String code = lockCode(mall, user, teamId);
                        answers.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                        if ("E0008".equals(code) || "E0005".equals(code)) {
                            refusals++;
                        } else if (!"E0401".equals(code)) {
                            return null;
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        lateReleases.get(60, TimeUnit.SECONDS);
        for (Future<?> joiner : joiners) {
            joiner.get(180, TimeUnit.SECONDS);
        }
        running.set(false);
        sweeper.get(30, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(answers.keySet()).as("answers %s", answers).isSubsetOf("0000", "E0005", "E0006", "E0008", "E0401");
        for (String teamId : teams) {
            int live = liveMembers(teamId);
            assertThat(live).as("team %s live members", teamId).isEqualTo(TARGET);
            assertThat(counts.lockCount(teamId))
                    .as("team %s lock_count", teamId)
                    .isEqualTo(live);
        }
        // A full team leaves the open sweep only when it completes; it is still open here (not all paid).
        awaitCountersAfterReconcile(teams, TARGET);
        assertThat(answers.get("0000").get()).isEqualTo(teamsWanted * 2);
    }

    @Test
    void redisKilledAndRestartedEmptyInTheMiddleOfAJoinBurstNeverPassesTheTargetAndEveryTeamFills() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:1/cb");
        int teamsWanted = 8;
        List<String> teams = new ArrayList<>();
        for (int t = 0; t < teamsWanted; t++) {
            teams.add(mall.team("k" + t + "a"));
        }
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.currentTimeMillis() + 90_000;
        List<Future<?>> joiners = new ArrayList<>();
        for (int t = 0; t < teamsWanted; t++) {
            String teamId = teams.get(t);
            for (int j = 0; j < 4; j++) {
                String user = "k" + t + "x" + j;
                joiners.add(pool.submit(() -> {
                    start.await();
                    // A refused buyer (no place, Redis down, the guard) tries again while the team may have room.
                    while (System.currentTimeMillis() < deadline) {
                        String code = lockCode(mall, user, teamId);
                        answers.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                        if (!"E0008".equals(code) && !"E0005".equals(code) && !"E0401".equals(code)) {
                            return null;
                        }
                        Thread.sleep(50);
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        Thread.sleep(150);
        redis.kill();
        Thread.sleep(300);
        redis.startAgain();
        for (Future<?> joiner : joiners) {
            joiner.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(answers.keySet()).as("answers %s", answers).isSubsetOf("0000", "E0005", "E0006", "E0008", "E0401");
        assertThat(answers.get("0000").get()).as("answers %s", answers).isEqualTo(teamsWanted * 2);
        for (String teamId : teams) {
            assertThat(liveMembers(teamId)).as("team %s live members", teamId).isEqualTo(TARGET);
            assertThat(counts.lockCount(teamId))
                    .as("team %s lock_count", teamId)
                    .isEqualTo(TARGET);
        }
        awaitCountersAfterReconcile(teams, -1, TARGET);
    }

    /**
     * The flake this class had under load, step by step (the second test, a log of a loaded run): a joiner read its
     * team row (lock count 1) while two others, their places reserved in the Redis about to be lost, were writing;
     * Redis was restarted empty, and the joiner's reservation ran there, seeded the counter from its read and took a
     * place, but its answer was lost (the 1 s command timeout while the pool reconnected): E0401, nothing written.
     * Its retry finds the team full. A reconcile then sets the counter to the lock count plus that reservation, which
     * is in flight for all the reconciler can tell: one above the lock count, rightly, until stale-after. The team is
     * full, so nobody is refused a place it has; once the reservation is stale the counter is the lock count again.
     */
    @Test
    void aReservationWhoseAnswerWasLostStaysCountedAfterAReconcileUntilStaleThenTheCounterIsTheLockCount()
            throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:1/cb");
        String teamId = mall.team("u1a", "u1b", "u1c");
        redis.kill();
        redis.startAgain();
        awaitRedis(teamId);

        String unanswered = ITeamPlaceReservation.holder(new PartnerOrderKey("s01", "c01", "u1w", "out-u1w"));
        assertThat(reservation.reserve(
                        teamId, unanswered, TARGET, 1, Instant.now().plus(Duration.ofMinutes(10))))
                .isTrue();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(mall.lock("u1w", teamId).path("code").asText())
                .as("the unanswered joiner's retry")
                .isEqualTo("E0006");

        reconciler.reconcile(0, 1, Instant.now().plusSeconds(30));
        assertThat(counts.lockCount(teamId)).isEqualTo(TARGET);
        assertThat(counts.redisPlaces(teamId))
                .as("the lock count plus the unanswered reservation, in flight until stale")
                .isEqualTo(TARGET + 1);

        // That reservation older than stale-after by Redis's clock, which the reconciler reads: dropped.
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE)
                .put(
                        "t:" + unanswered,
                        Long.toString(
                                Instant.now().minus(STALE_AFTER.multipliedBy(2)).toEpochMilli()));
        reconciler.reconcile(0, 1, Instant.now().plusSeconds(30));
        assertThat(counts.redisPlaces(teamId)).isEqualTo(TARGET);
    }

    /**
     * Reconciles until every team's counter is one of {@code due}, for at most stale-after and a margin. A reconcile
     * sets a counter to the lock count plus the holders in flight (reserved within stale-after, no order row;
     * docs/operations.md, place reconciliation). Under load a joiner's reservation can run while its answer is lost
     * (the 1 s command timeout: E0401, nothing written), on a counter left low by the restart (seeded from a row read
     * before other joins committed, or a refund's place given back again once its marker was lost); when the team is
     * full by then its retry is refused, and the counter reads one above the lock count until that reservation is stale
     * ({@link #aReservationWhoseAnswerWasLostStaysCountedAfterAReconcileUntilStaleThenTheCounterIsTheLockCount}).
     * Waited for, not allowed for: a counter still off after stale-after is a place lost for good.
     */
    private void awaitCountersAfterReconcile(List<String> teams, Integer... due) throws InterruptedException {
        long deadline = System.currentTimeMillis() + STALE_AFTER.plusSeconds(30).toMillis();
        Map<String, Integer> first = null;
        while (true) {
            untilRedisAnswers(() -> reconciler.reconcile(0, 1, Instant.now().plusSeconds(30)));
            Map<String, Integer> counters = new LinkedHashMap<>();
            for (String teamId : teams) {
                counters.put(teamId, counts.redisPlaces(teamId));
            }
            if (first == null) {
                first = counters;
            }
            if (List.of(due).containsAll(counters.values()) || System.currentTimeMillis() > deadline) {
                assertThat(counters.values())
                        .as("counters after a reconcile %s (after the first one: %s)", counters, first)
                        .isSubsetOf(due);
                if (!first.equals(counters)) {
                    System.out.println("counters after the first reconcile " + first + ", once stale " + counters);
                }
                return;
            }
            Thread.sleep(500);
        }
    }

    /** The answer's code, also for the 503 E0401 of a Redis outage (same envelope). */
    private static String lockCode(TradeClient mall, String user, String teamId) throws Exception {
        try {
            return mall.lock(user, teamId).path("code").asText();
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().contains("E0401")) {
                return "E0401";
            }
            throw e;
        }
    }

    /** Until the client has reconnected and the Redis breaker lets calls through again (an empty Redis now). */
    private void awaitRedis(String teamId) throws InterruptedException {
        for (int answered = 0; answered < 3; answered++) {
            untilRedisAnswers(() -> assertThat(reservation.places(List.of(teamId)))
                    .as("nothing survived the restart")
                    .isEmpty());
        }
    }

    /**
     * The work, again while it fails for up to 30 s: after a restart the client's pool may still hand out a connection
     * the old server closed (one {@code E0401} per such connection, then reconnected) and the breaker may be open, and
     * on a loaded machine that lasts longer than the restart. Only for work that may be repeated (reads, a reconcile).
     */
    private static void untilRedisAnswers(Runnable work) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    private int liveMembers(String teamId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status <> 2", Integer.class, teamId);
    }

    private String orderId(String userId) {
        return jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                String.class,
                userId,
                "out-" + userId);
    }
}
