package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.NotifyDispatcher;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * One partner (s01/c01) names a different callback endpoint per lock: eight loopback ports of servers that take the
 * request and never answer (as many wildcard DNS names of one slow server would be: the guards key by host:port). Each
 * endpoint has its own breaker and bulkhead, so before the per-partner cap that partner's callbacks held every
 * delivery thread, the after-commit hand-off's and the compensation drain's, and another partner's (s02/c02, answering
 * at once) callback waited for a hostile call's read timeout. With the cap at most
 * {@code gbm.notify.guard.max-concurrent-per-partner} of one partner's deliveries are in flight per instance; the
 * others are put back unsent (no try used) and nothing is lost once the partner answers again.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.notify.connect-timeout=1s",
            // The hostile calls hang until the test lets them go, never ended by the read timeout meanwhile: the
            // honest callback arriving before that cannot have waited for one (a lease of two send windows, 1 s + 2 x
            // 20 s, keeps pages of 4).
            "gbm.notify.read-timeout=20s",
            "gbm.notify.lease=2m",
            // The production defaults of the delivery threads and guards (the test profile lifts the bulkhead).
            "gbm.notify.dispatch-threads=8",
            "gbm.notify.run-lanes=8",
            "gbm.notify.http-concurrency=4",
            "gbm.notify.http-senders=16",
            "gbm.notify.page-size=4",
            "gbm.notify.guard.max-concurrent-per-endpoint=4",
            "gbm.notify.guard.max-concurrent-per-partner=4",
            "gbm.notify.guard.bulkhead-retry-after=1s",
            "gbm.notify.secrets.s02.c02=honest_secret"
        })
class PartnerCapIT {

    private static final int HOSTILE_ENDPOINTS = 8;
    /**
     * How long the honest callback is waited for while the hostile calls hang: under the read timeout (20 s), which
     * alone could end a hostile call before the test lets them go. An honest callback normally arrives in milliseconds
     * (the run's: after putting the hostile ones back, a few hundred); one queued behind hostile calls never arrives
     * while they hang. Before, it had to arrive within 2 s against a 3 s read timeout: a loaded machine could take
     * longer, and a hostile call could end, freeing a thread, before the honest one came.
     */
    private static final long HONEST_WAIT_MS = 15_000;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NotifyDispatcher dispatcher;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    MeterRegistry meters;

    @Autowired
    EndpointGuards guards;

    private final List<PartnerServer> hostile = new ArrayList<>();
    private PartnerServer honest;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hangs = true;
    private final AtomicInteger hostileHeld = new AtomicInteger();
    private final AtomicInteger hostileMaxHeld = new AtomicInteger();
    private final Map<String, Long> honestArrivals = new ConcurrentHashMap<>();
    /** The hostile partner's calls in flight on our side when each honest callback arrived. */
    private final Map<String, Integer> hostileInFlightAtHonest = new ConcurrentHashMap<>();

    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        for (int i = 0; i < HOSTILE_ENDPOINTS; i++) {
            hostile.add(new PartnerServer((path, team) -> {
                        if (!hangs) {
                            return PartnerServer.answer(200, "success");
                        }
                        hostileMaxHeld.accumulateAndGet(hostileHeld.incrementAndGet(), Math::max);
                        try {
                            // Takes the request and sends no byte back: the caller's read timeout ends the call.
                            release.await(30, TimeUnit.SECONDS);
                            return PartnerServer.answer(504, "too late");
                        } finally {
                            hostileHeld.decrementAndGet();
                        }
                    })
                    .start());
        }
        honest = new PartnerServer((path, team) -> {
                    hostileInFlightAtHonest.putIfAbsent(team, guards.inFlightOf("s01", "c01"));
                    honestArrivals.putIfAbsent(team, System.nanoTime());
                    return PartnerServer.answer(200, "success");
                })
                .start();
        tasks = new NotifyTaskFixture(jdbc);
        // Earlier tests' tasks are done and hold no lease.
        jdbc.update(
                "UPDATE notify_task SET notify_status = 1, claimed_by = NULL, claim_token = NULL, claim_until = NULL");
        // Warm-up (connections, JIT, the first claims), so a delay measured below is the hostile partner's doing: a
        // callback of each partner to the fast server, handed off after commit and sent by a compensation run.
        List<String> warm = new ArrayList<>();
        for (String[] partner : new String[][] {{"s01", "c01"}, {"s02", "c02"}}) {
            String handedOff = tasks.dueTask(honest.url("/warm"), partner[0], partner[1]);
            dispatcher.dispatchAsync(tasks.taskId(handedOff));
            warm.add(handedOff);
            for (int i = 0; i < 8; i++) {
                warm.add(tasks.dueTask(honest.url("/warm"), partner[0], partner[1]));
            }
        }
        // A warm-up send may be put back unsent for a second (four of the partner's or the endpoint's calls already in
        // flight, which a loaded machine makes likely): one run would leave it waiting for the job's next run.
        deliverUntilDone(warm);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        hostile.forEach(PartnerServer::close);
        honest.close();
    }

    @Test
    void oneAfterCommitCallbackOfAnotherPartnerIsNotQueuedBehindOnePartnersManyEndpoints() throws Exception {
        double refusedBefore = partnerRefusals();
        // Two settlements' callbacks per hostile endpoint, handed off after commit as settlements would.
        List<String> hostileTeams = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (PartnerServer server : hostile) {
                String team = tasks.dueTask(server.url("/cb"), "s01", "c01");
                hostileTeams.add(team);
                dispatcher.dispatchAsync(tasks.taskId(team));
            }
        }
        // Every hand-off started or put back: four calls hang at the partner, the other twelve are put back unsent.
        // (A 500 ms sleep gave them time before.)
        TestJson.await(() -> hostileHeld.get() == 4 && tasks.countWhere(PUT_BACK, hostileTeams) == 12);

        String honestTeam = tasks.dueTask(honest.url("/cb"), "s02", "c02");
        long sent = System.nanoTime();
        dispatcher.dispatchAsync(tasks.taskId(honestTeam));
        long waitedMs = awaitHonest(honestTeam, sent);
        int held = hostileMaxHeld.get();
        System.out.printf(
                "PartnerCapIT hand-off: honest callback after %d ms, hostile partner held %d calls at once%n",
                waitedMs, held);

        assertThat(honestArrivals)
                .as(
                        "the honest partner's callback arrived while the other partner's 16 callbacks to 8 endpoints"
                                + " hang (waited %d ms; hostile calls held at once: %d)",
                        waitedMs, held)
                .containsKey(honestTeam);
        assertThat(hostileInFlightAtHonest.get(honestTeam))
                .as("the hostile partner's calls still in flight on our side when it arrived: none had ended")
                .isEqualTo(4);
        assertThat(held).as("the hostile partner's calls in flight at once").isEqualTo(4);
        assertThat(partnerRefusals() - refusedBefore)
                .as("callbacks over the partner's cap were put back unsent")
                .isPositive();

        // The hanging calls are let go, each answered 504 (one try each); the others wait unsent, no try used; nothing
        // is lost.
        release.countDown();
        TestJson.await(() -> tasks.countWhere("claim_token IS NOT NULL", hostileTeams) == 0);
        assertThat(tasks.countWhere("notify_count = 1 AND notify_status = 2", hostileTeams))
                .as("one try each for the calls made")
                .isEqualTo(4);
        assertThat(tasks.countWhere(PUT_BACK, hostileTeams))
                .as("the rest put back unsent")
                .isEqualTo(12);
        deliverEverythingOnceItAnswers(hostileTeams);
        assertThat(tries(hostileTeams)).isEqualTo(16 + 4);
    }

    /**
     * A compensation run meets the hostile partner's backlog first (48 callbacks, 6 per endpoint, due before the honest
     * one): pages of 4 ({@code page-size=4}, the production pages are 16 of a longer send window) on 8 lanes. Before
     * the cap every lane waited for its page's hanging sends, so the honest callback was claimed only after a read
     * timeout; with it at most 4 lanes wait, the others put the rest back and go on to the honest callback.
     */
    @Test
    void aCompensationRunSendsAnotherPartnersCallbackWhileOnePartnersManyEndpointsHang() throws Exception {
        List<String> hostileTeams = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (PartnerServer server : hostile) {
                hostileTeams.add(tasks.dueTask(server.url("/cb"), "s01", "c01"));
            }
        }
        String honestTeam = tasks.dueTask(honest.url("/cb"), "s02", "c02");

        long started = System.nanoTime();
        CompletableFuture<?> run = CompletableFuture.runAsync(() -> notifyService.deliverAllDue());
        long waitedMs = awaitHonest(honestTeam, started);
        int held = hostileMaxHeld.get();
        System.out.printf(
                "PartnerCapIT drain: honest callback after %d ms, hostile partner held %d calls at once%n",
                waitedMs, held);

        assertThat(honestArrivals)
                .as(
                        "the honest partner's callback arrived in a run with the other partner's 48 callbacks to 8"
                                + " endpoints, while they hang (waited %d ms; hostile calls held at once: %d)",
                        waitedMs, held)
                .containsKey(honestTeam);
        assertThat(held).as("the hostile partner's calls in flight at once").isLessThanOrEqualTo(4);

        hangs = false;
        release.countDown();
        run.get(90, TimeUnit.SECONDS);
        assertThat(tasks.countWhere("notify_status = 3", hostileTeams)).isZero();
        deliverEverythingOnceItAnswers(hostileTeams);
        assertThat(tries(hostileTeams)).as("no try used by a refusal").isLessThanOrEqualTo(48 + 4);
    }

    /** The partner answers again: runs of the job deliver every one of its callbacks, each still owed. */
    private void deliverEverythingOnceItAnswers(List<String> teams) throws InterruptedException {
        hangs = false;
        release.countDown();
        deliverUntilDone(teams);
    }

    /** Runs of the job, each after making the teams' callbacks put back or retried due again, until all are delivered. */
    private void deliverUntilDone(List<String> teams) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (tasks.countWhere("notify_status = 1", teams) < teams.size() && System.currentTimeMillis() < deadline) {
            makeDue(teams);
            notifyService.deliverAllDue();
            Thread.sleep(200);
        }
        assertThat(tasks.countWhere("notify_status = 1", teams))
                .as("nothing lost")
                .isEqualTo(teams.size());
    }

    /**
     * The honest callback's wait in ms from {@code since}, waited for at most {@link #HONEST_WAIT_MS} from then, before
     * the test lets the hostile calls go.
     */
    private long awaitHonest(String team, long since) throws InterruptedException {
        long deadline = since + TimeUnit.MILLISECONDS.toNanos(HONEST_WAIT_MS);
        while (!honestArrivals.containsKey(team) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Long at = honestArrivals.get(team);
        return TimeUnit.NANOSECONDS.toMillis((at == null ? System.nanoTime() : at) - since);
    }

    /** A callback put back unsent by a refusal: no try used, due again later. */
    private static final String PUT_BACK =
            "notify_count = 0 AND notify_status = 2 AND claim_token IS NULL AND last_error LIKE 'not sent:%'";

    private double partnerRefusals() {
        return meters.find("gbm.notify.not.sent").tag("reason", "partner_full").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private void makeDue(List<String> teams) {
        String in = String.join(",", Collections.nCopies(teams.size(), "?"));
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = NOW(3) - INTERVAL 1 SECOND WHERE notify_status = 2"
                        + " AND team_id IN (" + in + ")",
                teams.toArray());
    }

    private int tries(List<String> teams) {
        String in = String.join(",", Collections.nCopies(teams.size(), "?"));
        return jdbc.queryForObject(
                "SELECT SUM(notify_count) FROM notify_task WHERE team_id IN (" + in + ")",
                Integer.class,
                teams.toArray());
    }
}
