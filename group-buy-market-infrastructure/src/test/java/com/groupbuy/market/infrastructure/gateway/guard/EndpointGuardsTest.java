package com.groupbuy.market.infrastructure.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** #17: the breaker and bulkhead decide whether a callback is sent at all, and when an unsent one is due again. */
class EndpointGuardsTest {

    private static final DeliveryResult FAILED = new DeliveryResult(false, 500, 3, "answered HTTP 500");
    private static final DeliveryResult DELIVERED = new DeliveryResult(true, 200, 3, null);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger sends = new AtomicInteger();

    private EndpointGuards guards(Duration openFor, int maxConcurrent) {
        return guards(openFor, maxConcurrent, 1000);
    }

    private EndpointGuards guards(Duration openFor, int maxConcurrent, int perPartner) {
        return new EndpointGuards(settings(openFor, maxConcurrent, perPartner), meters, Clock.systemUTC());
    }

    private static GuardSettings settings(Duration openFor, int maxConcurrent, int perPartner) {
        return new GuardSettings(
                50,
                50,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                4,
                openFor,
                1,
                maxConcurrent,
                Duration.ofSeconds(1),
                perPartner);
    }

    @Test
    void failuresOpenTheBreakerAndThenNothingIsSentUntilTheWaitEnds() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 10);
        for (int i = 0; i < 4; i++) {
            assertThat(guards.call("http:a:80", true, this::fail).notAttempted())
                    .isFalse();
        }
        assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.OPEN);

        Instant before = Instant.now();
        DeliveryResult refused = guards.call("http:a:80", true, this::fail);

        assertThat(sends).hasValue(4);
        assertThat(refused.notAttempted()).isTrue();
        assertThat(refused.error()).startsWith("not sent: circuit open for http:a:80");
        assertThat(refused.notSentReason()).isEqualTo(NotSentReason.BREAKER_OPEN);
        assertThat(EndpointGuards.bulkheadFull(refused))
                .as("an open breaker is not a busy endpoint")
                .isFalse();
        assertThat(refused.notSentUntil()).isAfter(before.plusSeconds(29)).isBefore(before.plusSeconds(31));
        assertThat(guards.state("http:b:80"))
                .as("another endpoint is not touched")
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "http:a:80")
                        .tag("reason", "breaker_open")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("gbm.notify.breaker.transitions")
                        .tag("from", "CLOSED")
                        .tag("to", "OPEN")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    /**
     * A call is slow past the slow-call duration plus its body's time at the minimum send rate: a partner taking big
     * bodies at a rate above that minimum is slow on none of them and its breaker stays closed (it opened on main,
     * every such call being longer than the slow-call duration); calls slower than their body allows, and small bodies'
     * calls slower than the slow-call duration, still open it, as before.
     */
    @Test
    void aCallIsSlowOnlyPastTheSlowCallDurationPlusItsBodysTime() {
        EndpointGuards guards = new EndpointGuards(
                new GuardSettings(
                        50,
                        50,
                        Duration.ofMillis(20),
                        Duration.ofSeconds(30),
                        4,
                        Duration.ofSeconds(30),
                        1,
                        10,
                        Duration.ofSeconds(1),
                        1000),
                meters,
                Clock.systemUTC());
        // Each call takes at least 40 ms: twice the slow-call duration, far within a big body's second.
        for (int i = 0; i < 4; i++) {
            guards.call("http:big:80", "s01", "c01", true, Duration.ofSeconds(1), this::deliverIn40Ms);
            guards.call("http:small:80", "s01", "c01", true, Duration.ZERO, this::deliverIn40Ms);
            guards.call("http:slower:80", "s01", "c01", true, Duration.ofMillis(5), this::deliverIn40Ms);
        }

        assertThat(guards.state(EndpointGuards.ofPartner("http:big:80", "s01", "c01")))
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(slowCalls(EndpointGuards.ofPartner("http:big:80", "s01", "c01")))
                .as("big bodies' calls counted slow")
                .isZero();
        assertThat(guards.state(EndpointGuards.ofPartner("http:small:80", "s01", "c01")))
                .isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(guards.state(EndpointGuards.ofPartner("http:slower:80", "s01", "c01")))
                .as("slower than the body allows")
                .isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(sends).hasValue(12);
    }

    /** What the breaker is told: the call's time, but the slow-call duration for one its body's time excuses. */
    @Test
    void aCallExcusedByItsBodyIsToldAsTheSlowCallDuration() {
        Duration slow = Duration.ofSeconds(2);
        long second = 1_000_000_000L;
        assertThat(EndpointGuards.told(second, slow, Duration.ZERO)).isEqualTo(second);
        assertThat(EndpointGuards.told(3 * second, slow, Duration.ZERO)).isEqualTo(3 * second);
        assertThat(EndpointGuards.told(second, slow, Duration.ofSeconds(30))).isEqualTo(second);
        assertThat(EndpointGuards.told(10 * second, slow, Duration.ofSeconds(30)))
                .as("a 1 MB body at 100 KB/s, 30 s at 32 KiB/s")
                .isEqualTo(2 * second);
        assertThat(EndpointGuards.told(32 * second, slow, Duration.ofSeconds(30)))
                .isEqualTo(2 * second);
        assertThat(EndpointGuards.told(32 * second + 1, slow, Duration.ofSeconds(30)))
                .isEqualTo(32 * second + 1);
        assertThat(EndpointGuards.told(Long.MAX_VALUE, slow, Duration.ofSeconds(Long.MAX_VALUE)))
                .isEqualTo(2 * second);
    }

    private double slowCalls(String endpoint) {
        return meters.get("resilience4j.circuitbreaker.slow.calls").tag("name", endpoint).gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
    }

    private DeliveryResult deliverIn40Ms() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return deliver();
    }

    @Test
    void aSuccessfulHalfOpenProbeClosesTheBreaker() throws Exception {
        EndpointGuards guards = guards(Duration.ofMillis(200), 10);
        for (int i = 0; i < 4; i++) {
            guards.call("http:a:80", true, this::fail);
        }
        Thread.sleep(300);

        DeliveryResult probe = guards.call("http:a:80", true, () -> {
            sends.incrementAndGet();
            return DELIVERED;
        });

        assertThat(probe.delivered()).isTrue();
        assertThat(sends).hasValue(5);
        assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /**
     * The open state lasts its wait on the monotonic clock, whatever the wall clock does: with Resilience4j's default
     * (the system wall clock), a step back of an hour kept every breaker open, with no probe, an hour longer. The wall
     * clock here is stepped back an hour and the monotonic one moves 31 s: the probe goes through. A breaker timed on
     * any other clock (real time has not moved 30 s) would still refuse it.
     */
    @Test
    void theOpenStateEndsByTheMonotonicClockWhateverTheWallClockDoes() {
        MovableClock wall = new MovableClock();
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 5_000_000_000L); // wraps around during the wait
        EndpointGuards guards = new EndpointGuards(
                settings(Duration.ofSeconds(30), 10, 1000),
                meters,
                wall,
                new MonotonicClock(Instant.parse("2026-12-02T12:00:00Z"), nanos::get));
        for (int i = 0; i < 4; i++) {
            guards.call("http:a:80", true, this::fail);
        }
        assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.OPEN);

        wall.advance(Duration.ofHours(-1));
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        DeliveryResult probe = guards.call("http:a:80", true, this::deliver);

        assertThat(probe.delivered()).as(probe.error()).isTrue();
        assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /**
     * A half-open breaker's probe with a big body is not slow until the slow-call duration plus its body's time: the
     * tasks its place kept out wait that long from its start, not a slow call from now. Told "2 s from now" (main),
     * they were taken, refused and put back every 2 s while it was sent. A small probe's refusals still wait a slow
     * call from now.
     */
    @Test
    void tasksKeptOutByABigProbeWaitForItsBodysTime() throws Exception {
        HalfOpen endpoint = new HalfOpen();
        Instant probeStart = endpoint.wall.instant();
        DeliveryResult refused;
        DeliveryResult bigRefused;
        try (Probe probe = endpoint.probe(Duration.ofSeconds(20))) {
            endpoint.wall.advance(Duration.ofSeconds(5));
            refused = endpoint.guards.call("http:a:80", true, this::deliver);
            bigRefused = endpoint.guards.call("http:a:80", null, null, true, Duration.ofHours(1), this::deliver);
        }
        assertThat(refused.notSentBecause(NotSentReason.BREAKER_OPEN)).isTrue();
        assertThat(refused.notSentUntil())
                .as("the probe's start + the slow call + its body's 20 s")
                .isEqualTo(probeStart.plus(Duration.ofSeconds(22)));
        assertThat(bigRefused.notSentUntil()).isEqualTo(refused.notSentUntil());
        assertThat(endpoint.guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.CLOSED);

        endpoint.openAndWait();
        DeliveryResult smallRefused;
        try (Probe probe = endpoint.probe(Duration.ZERO)) {
            endpoint.wall.advance(Duration.ofSeconds(5));
            smallRefused = endpoint.guards.call("http:a:80", true, this::deliver);
        }
        assertThat(smallRefused.notSentUntil())
                .isEqualTo(endpoint.wall.instant().plus(Duration.ofSeconds(2)));
    }

    /** A probe's body counts at most the open duration: a body of an hour at the minimum rate adds 30 s. */
    @Test
    void aProbesBodyTimeCountsAtMostTheOpenDuration() throws Exception {
        HalfOpen endpoint = new HalfOpen();
        Instant probeStart = endpoint.wall.instant();
        DeliveryResult refused;
        try (Probe probe = endpoint.probe(Duration.ofHours(1))) {
            refused = endpoint.guards.call("http:a:80", true, this::deliver);
        }
        assertThat(refused.notSentUntil()).isEqualTo(probeStart.plus(Duration.ofSeconds(32)));
    }

    /** Guards of endpoint {@code http:a:80} whose breaker (open 30 s, one probe) opened and waited out its 30 s. */
    private final class HalfOpen {
        final MovableClock wall = new MovableClock();
        final AtomicLong nanos = new AtomicLong();
        final EndpointGuards guards = new EndpointGuards(
                settings(Duration.ofSeconds(30), 10, 1000),
                meters,
                wall,
                new MonotonicClock(Instant.parse("2026-12-02T12:00:00Z"), nanos::get));

        HalfOpen() {
            openAndWait();
        }

        void openAndWait() {
            for (int i = 0; i < 4; i++) {
                guards.call("http:a:80", true, EndpointGuardsTest.this::fail);
            }
            assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.OPEN);
            wall.advance(Duration.ofSeconds(31));
            nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        }

        /** The probe, a call of this body time, in flight until the answer is closed; it then delivers. */
        Probe probe(Duration bodyTime) throws InterruptedException {
            Probe probe = new Probe();
            probe.thread = new Thread(() -> guards.call("http:a:80", null, null, true, bodyTime, () -> {
                probe.sending.countDown();
                try {
                    probe.answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return deliver();
            }));
            probe.thread.start();
            assertThat(probe.sending.await(5, TimeUnit.SECONDS)).isTrue();
            return probe;
        }
    }

    /** A probe in flight: closing it answers it and waits for its call to end. */
    private static final class Probe implements AutoCloseable {
        final CountDownLatch sending = new CountDownLatch(1);
        final CountDownLatch answer = new CountDownLatch(1);
        Thread thread;

        @Override
        public void close() throws InterruptedException {
            answer.countDown();
            thread.join(5_000);
        }
    }

    @Test
    void aMonotonicClockMovesOnlyByItsCounter() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE);
        MonotonicClock clock = new MonotonicClock(Instant.parse("2026-12-02T12:00:00Z"), nanos::get);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-02T12:00:00Z"));
        nanos.addAndGet(1_500_000_000L); // past Long.MAX_VALUE: the difference still counts
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-02T12:00:01.500Z"));
        assertThat(clock.millis())
                .isEqualTo(Instant.parse("2026-12-02T12:00:01.500Z").toEpochMilli());
    }

    @Test
    void aFullBulkheadRefusesWithoutCallingAndOnlyForThatEndpoint() throws Exception {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> guards.call("http:a:80", true, () -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DELIVERED;
        }));
        holder.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        DeliveryResult refused = guards.call("http:a:80", true, this::fail);
        DeliveryResult other = guards.call("http:b:80", true, () -> DELIVERED);
        DeliveryResult unlimited = guards.call("http:a:80", false, () -> DELIVERED);
        release.countDown();
        holder.join();

        assertThat(refused.notAttempted()).isTrue();
        assertThat(refused.error()).isEqualTo("not sent: 1 deliveries to http:a:80 already in flight");
        assertThat(refused.notSentReason()).isEqualTo(NotSentReason.BULKHEAD_FULL);
        assertThat(EndpointGuards.bulkheadFull(refused)).isTrue();
        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "http:a:80")
                        .tag("reason", "bulkhead_full")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(sends).as("the refused call was not made").hasValue(0);
        assertThat(other.delivered()).isTrue();
        assertThat(unlimited.delivered()).as("the MQ form has no bulkhead").isTrue();
        assertThat(guards.call("http:a:80", true, () -> DELIVERED).delivered())
                .as("permit given back")
                .isTrue();
    }

    /**
     * One partner naming another endpoint (port, DNS name) per lock: each endpoint's bulkhead has room, but the partner's
     * cap refuses its calls past the cap whatever their endpoints, without calling and without touching the breaker;
     * another partner, and the MQ form, are not limited by it; a place is given back with its call, and a partner
     * without a call in flight is not kept.
     */
    @Test
    void aPartnersCapRefusesItsCallsPastTheCapWhateverTheirEndpoints() throws Exception {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 4, 2);
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new java.util.ArrayList<>();
        for (String endpoint : List.of("http:a.evil:80", "http:b.evil:80")) {
            Thread holder = new Thread(() -> guards.call(endpoint, "s01", "c01", true, () -> {
                inside.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return DELIVERED;
            }));
            holder.start();
            holders.add(holder);
        }
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(guards.inFlightOf("s01", "c01")).isEqualTo(2);

        DeliveryResult refused = guards.call("http:c.evil:80", "s01", "c01", true, this::fail);
        DeliveryResult sameEndpoint = guards.call("http:a.evil:80", "s01", "c01", true, this::fail);
        DeliveryResult otherPartner = guards.call("http:c.evil:80", "s02", "c01", true, () -> DELIVERED);
        DeliveryResult otherChannel = guards.call("http:a.evil:80", "s01", "c02", true, () -> DELIVERED);
        DeliveryResult mq = guards.call("mq:broker:5672", "s01", "c01", false, () -> DELIVERED);
        release.countDown();
        for (Thread holder : holders) {
            holder.join();
        }

        for (DeliveryResult r : List.of(refused, sameEndpoint)) {
            assertThat(r.notAttempted()).isTrue();
            assertThat(r.notSentReason()).isEqualTo(NotSentReason.PARTNER_FULL);
            assertThat(r.error()).isEqualTo("not sent: 2 deliveries of partner s01/c01 already in flight");
            assertThat(EndpointGuards.bulkheadFull(r))
                    .as("not the endpoint's bulkhead: EndpointQueues puts it back instead of waiting")
                    .isFalse();
        }
        assertThat(refused.notSentUntil()).isAfter(Instant.now());
        assertThat(sends).as("the refused calls were not made").hasValue(0);
        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "http:c.evil:80 s01/c01")
                        .tag("reason", "partner_full")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(otherPartner.delivered()).isTrue();
        assertThat(otherChannel.delivered())
                .as("a partner is its source and its channel")
                .isTrue();
        assertThat(mq.delivered()).as("the MQ form has no partner cap").isTrue();
        assertThat(guards.state("http:c.evil:80 s01/c01"))
                .as("a refusal is no outcome for the breaker")
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(guards.inFlightOf("s01", "c01")).isZero();
        assertThat(meters.get("gbm.notify.partners.in.flight").gauge().value())
                .as("no partner kept without a call in flight")
                .isZero();
        assertThat(guards.call("http:c.evil:80", "s01", "c01", true, () -> DELIVERED)
                        .delivered())
                .as("places given back")
                .isTrue();
        // The bulkhead's permits of the refused calls were given back too: four more to one endpoint at once fit.
        assertThat(guards.call("http:a.evil:80", true, () -> DELIVERED).delivered())
                .isTrue();
    }

    /** A call that throws gives its partner's place back, as one that returns does. */
    @Test
    void aCallThatThrowsGivesItsPartnersPlaceBack() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 4, 1);
        assertThatThrownBy(() -> guards.call("http:a:80", "s01", "c01", true, () -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(guards.inFlightOf("s01", "c01")).isZero();
        assertThat(guards.call("http:b:80", "s01", "c01", true, () -> DELIVERED).delivered())
                .isTrue();
    }

    @Test
    void aBatchIsOneCallWhileClosedAndAllUnsentWhileOpen() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 1);
        List<DeliveryResult> first = guards.callBatch("mq:broker:5672", 4, () -> {
            sends.incrementAndGet();
            return List.of(FAILED, FAILED, FAILED, FAILED);
        });
        assertThat(first).hasSize(4).noneMatch(DeliveryResult::notAttempted);
        assertThat(guards.state("mq:broker:5672")).isEqualTo(CircuitBreaker.State.OPEN);

        List<DeliveryResult> second = guards.callBatch("mq:broker:5672", 3, () -> {
            sends.incrementAndGet();
            return List.of(DELIVERED, DELIVERED, DELIVERED);
        });
        assertThat(second).hasSize(3).allMatch(DeliveryResult::notAttempted);
        assertThat(sends).hasValue(1);
    }

    /**
     * The broker refusing an isolated partner's own exchange: the channel's own "not sent" results, counted once each
     * under the broker's endpoint, whether the page went as one batch or task by task; the guard counts nothing more
     * for them, and none opens the breaker. On main the {@code exchange_refused} series was never registered.
     */
    @Test
    void aRefusedPartnerExchangeIsCountedOncePerCallbackNotSent() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 1);
        DeliveryResult refused = DeliveryResult.exchangeRefused(Instant.now().plusSeconds(1), "exchange refused");
        for (int i = 0; i < 2; i++) {
            assertThat(guards.callBatch("mq:broker:5672", 3, () -> List.of(refused, DELIVERED, refused)))
                    .containsExactly(refused, DELIVERED, refused);
        }
        assertThat(guards.call("mq:broker:5672", false, () -> refused)).isSameAs(refused);

        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "mq:broker:5672")
                        .tag("reason", "exchange_refused")
                        .counter()
                        .count())
                .isEqualTo(5);
        assertThat(meters.find("gbm.notify.not.sent").counters())
                .as("no other series")
                .hasSize(1);
        assertThat(guards.state("mq:broker:5672")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /**
     * A send our own process could not make (out of descriptors or local ports) is neither a failure nor a success of
     * the endpoint: a burst of them leaves its breaker closed with nothing recorded (on main each was a failure and the
     * breaker opened), and they do not thin out the failures of an endpoint that does fail. Counted as not sent.
     */
    @Test
    void ourOwnSocketFaultIsNoCallOfTheEndpoint() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 10);
        DeliveryResult ours = DeliveryResult.ownFault(Instant.now().plusSeconds(1), "out of file descriptors");
        for (int i = 0; i < 10; i++) {
            assertThat(guards.call("http:a:80", true, () -> ours)).isSameAs(ours);
            assertThat(guards.callBatch("mq:broker:5672", 2, () -> List.of(ours, ours)))
                    .containsExactly(ours, ours);
        }

        assertThat(guards.state("http:a:80")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(guards.state("mq:broker:5672")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(bufferedCalls("http:a:80")).as("calls recorded").isZero();
        assertThat(bufferedCalls("mq:broker:5672")).as("calls recorded").isZero();
        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "http:a:80")
                        .tag("reason", "local_resources")
                        .counter()
                        .count())
                .isEqualTo(10);

        for (int i = 0; i < 4; i++) {
            guards.call("http:a:80", true, this::fail);
            guards.call("http:a:80", true, () -> ours);
        }
        assertThat(guards.state("http:a:80"))
                .as("four failures among our own faults")
                .isEqualTo(CircuitBreaker.State.OPEN);
    }

    /**
     * MQ callbacks not published because our broker blocks us (its memory or disk alarm) were never sent: the broker's
     * breaker records nothing for them (counted as failures, a long alarm opened it and held every MQ partner's
     * callbacks for its open-for after the alarm lifted), and each is counted as not sent, reason broker_blocked.
     */
    @Test
    void callbacksOurBlockedBrokerWasNotGivenAreNoCallOfIt() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 10);
        DeliveryResult blocked = DeliveryResult.brokerBlocked(Instant.now().plusSeconds(5), "the broker blocks us");
        for (int i = 0; i < 10; i++) {
            assertThat(guards.callBatch("mq:broker:5672", 3, () -> List.of(blocked, blocked, blocked)))
                    .containsExactly(blocked, blocked, blocked);
            assertThat(guards.call("mq:broker:5672", false, () -> blocked)).isSameAs(blocked);
        }

        assertThat(blocked.notAttempted()).isTrue();
        assertThat(guards.state("mq:broker:5672")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(bufferedCalls("mq:broker:5672")).as("calls recorded").isZero();
        assertThat(meters.get("gbm.notify.not.sent")
                        .tag("endpoint", "mq:broker:5672")
                        .tag("reason", "broker_blocked")
                        .counter()
                        .count())
                .isEqualTo(40);
    }

    private double bufferedCalls(String endpoint) {
        return meters.get("resilience4j.circuitbreaker.buffered.calls").tag("name", endpoint).gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
    }

    @Test
    void aFullBulkheadIsToldByTheResultsReasonNotByItsText() {
        Instant soon = Instant.now().plusSeconds(1);
        String busyWords = "4 deliveries to http:a:80 already in flight";

        assertThat(EndpointGuards.bulkheadFull(DeliveryResult.notSent(NotSentReason.BULKHEAD_FULL, soon, "busy")))
                .isTrue();
        assertThat(EndpointGuards.bulkheadFull(DeliveryResult.notSent(NotSentReason.BREAKER_OPEN, soon, busyWords)))
                .as("a breaker's refusal, whatever it says")
                .isFalse();
        assertThat(EndpointGuards.bulkheadFull(new DeliveryResult(false, null, 5, "not sent: " + busyWords)))
                .as("a call that was made and failed, whatever it says")
                .isFalse();
        assertThat(EndpointGuards.bulkheadFull(DELIVERED)).isFalse();
        assertThatThrownBy(() -> new DeliveryResult(false, null, 0, "x", soon, null))
                .as("not sent without a reason")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryResult(false, null, 0, "x", null, NotSentReason.BULKHEAD_FULL))
                .as("a reason without a time to try again")
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * An HTTP endpoint is the host:port of the notifyUrl a lock names, chosen by the caller. On main every distinct one
     * kept a breaker, a bulkhead and their meters for good: 10,000 endpoints were 10,000 values of the {@code name} tag
     * (Prometheus series without bound). Past {@link EndpointGuards#MAX_ENDPOINTS} a new endpoint shares one guard
     * ({@code other}) — still called, still guarded — and endpoints idle past the window plus the open time are
     * forgotten, meters included, so new ones get their own guard again.
     */
    @Test
    void distinctEndpointsFoldIntoABoundedSetOfGuardsAndSeries() {
        MovableClock clock = new MovableClock();
        EndpointGuards guards = new EndpointGuards(
                new GuardSettings(
                        50,
                        50,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(30),
                        4,
                        Duration.ofSeconds(30),
                        1,
                        4,
                        Duration.ofSeconds(1),
                        1000),
                meters,
                clock);
        int distinct = 10_000;
        for (int i = 0; i < distinct; i++) {
            String endpoint = "http:127." + (i / 250) + "." + (i % 250) + ".1:" + (1024 + i);
            assertThat(guards.call(endpoint, true, this::deliver).delivered()).isTrue();
        }

        assertThat(sends).as("every callback was still sent").hasValue(distinct);
        assertThat(endpointTagValues())
                .as("endpoints metered apart")
                .hasSizeLessThanOrEqualTo(EndpointGuards.MAX_ENDPOINTS + 1)
                .contains(EndpointGuards.OTHER);

        clock.advance(Duration.ofSeconds(61));
        guards.call("http:partner.example:443", true, this::deliver);
        clock.advance(Duration.ofSeconds(2));
        guards.call("http:partner.example:444", true, this::deliver);

        assertThat(endpointTagValues())
                .as("idle endpoints forgotten, the new one guarded apart")
                .contains("http:partner.example:443", "http:partner.example:444")
                .doesNotContain("http:127.0.0.1:1024")
                .hasSizeLessThanOrEqualTo(EndpointGuards.MAX_ENDPOINTS + 1);
    }

    /**
     * Past {@link EndpointGuards#MAX_ENDPOINTS} endpoints a new one shares the overflow guard. On main that was one
     * {@code other} breaker and bulkhead for every partner: a partner naming a thousand endpoints of its own (a port or
     * DNS name per lock) and then failing ones past them opened {@code other}, and an honest partner's endpoint first
     * called after that waited "not sent: circuit open for other" behind it — the very coupling keying guards by
     * partner and endpoint had ended. Each partner now overflows into a guard of its own.
     */
    @Test
    void aPartnerPastTheEndpointBoundOpensNoBreakerAnotherPartnerWaitsBehind() {
        EndpointGuards guards = guards(Duration.ofSeconds(30), 4);
        for (int i = 0; i < EndpointGuards.MAX_ENDPOINTS; i++) {
            guards.call("http:evil.example:" + (1024 + i), "s66", "c66", true, this::deliver);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(guards.call("http:evil.example:" + (5000 + i), "s66", "c66", true, this::fail)
                            .notAttempted())
                    .isFalse();
        }
        assertThat(guards.call("http:evil.example:6000", "s66", "c66", true, this::fail)
                        .notAttempted())
                .as("the hostile partner's overflow breaker is open")
                .isTrue();

        DeliveryResult honest = guards.call("http:mall.example:443", "s01", "c01", true, this::deliver);

        assertThat(honest.delivered())
                .as("another partner's callback is sent: " + honest.error())
                .isTrue();
        assertThat(endpointTagValues())
                .as("still bounded: one overflow guard per partner")
                .hasSizeLessThanOrEqualTo(EndpointGuards.MAX_ENDPOINTS + 2);
    }

    /** Every value of the endpoint tags ({@code name} on Resilience4j's meters, {@code endpoint} on ours). */
    private java.util.Set<String> endpointTagValues() {
        java.util.Set<String> values = new java.util.HashSet<>();
        meters.getMeters().forEach(meter -> {
            String name = meter.getId().getName();
            if (name.startsWith("resilience4j.")) {
                values.add(meter.getId().getTag("name"));
            } else if (name.startsWith("gbm.notify.")) {
                values.add(meter.getId().getTag("endpoint"));
            }
        });
        values.remove(null);
        return values;
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-02T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private DeliveryResult deliver() {
        sends.incrementAndGet();
        return DELIVERED;
    }

    private DeliveryResult fail() {
        sends.incrementAndGet();
        return FAILED;
    }
}
