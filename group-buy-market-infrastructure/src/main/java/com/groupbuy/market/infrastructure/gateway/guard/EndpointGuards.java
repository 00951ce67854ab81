package com.groupbuy.market.infrastructure.gateway.guard;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.types.partner.Partner;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;

/**
 * One Resilience4j circuit breaker (and, for partner endpoints, one semaphore bulkhead) per endpoint, created on its
 * first call. A call the breaker or the bulkhead refuses is not made: the caller gets
 * {@link DeliveryResult#notSent}, with its {@link NotSentReason} and the time the breaker will let a probe through
 * (or, for a full bulkhead, a short wait), so the task waits without using a try. An answer that is not the acknowledgement counts as a failure,
 * a call slower than the slow-call duration plus its body's time (what its bytes take over the slowest link served,
 * given by the caller: a few milliseconds for an ordinary body, none for the broker) as slow; either rate over the window opens the breaker.
 * <p>
 * Over the endpoints, a cap per partner (source + channel, given by the caller with each HTTP call): at most
 * {@link GuardSettings#maxConcurrentPerPartner()} of one partner's calls in flight at once, whatever endpoints they go
 * to. The endpoint is the host:port of a URL the partner chooses per lock: with many ports, or many DNS names of one
 * slow server, each endpoint had a bulkhead of its own and one partner's hanging calls held every delivery thread while
 * the other partners' callbacks waited. A call over the cap is refused like one over the bulkhead
 * ({@link NotSentReason#PARTNER_FULL}, the same short wait, no try used). A partner is counted only while it has calls
 * in flight, so the partners kept are at most the calls in flight, whatever names the locks give.
 * <p>
 * State per instance: every instance judges an endpoint from its own calls. Meters: Resilience4j's
 * {@code resilience4j.circuitbreaker.*} and {@code resilience4j.bulkhead.*} (tag {@code name} = endpoint), plus
 * {@code gbm.notify.breaker.transitions} (endpoint, from, to), {@code gbm.notify.not.sent} (endpoint, reason:
 * {@code breaker_open}, {@code bulkhead_full}, {@code partner_full}; and the channel's own "not sent", counted as its
 * result passes the guard, {@link #countChannelNotSent}: {@code exchange_refused} for an isolated MQ partner whose
 * exchange the broker refuses, {@code channel_closed}, {@code broker_blocked} for MQ callbacks not published while our
 * broker blocks us, {@code local_resources} for a socket our own process could not open) and
 * {@code gbm.notify.partners.in.flight} (partners with a call in flight).
 */
@Slf4j
public class EndpointGuards {

    private final GuardSettings settings;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final MeterRegistry meters;
    private final Clock clock;
    /** When each endpoint's breaker last opened: a refused task waits until that plus the open duration. */
    private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();
    /**
     * Half-open: when the outcome of each endpoint's probes in flight is due (the latest probe's start plus the slow-call
     * duration plus its body's time); a task the probes' places refused waits until then. Cleared as the breaker leaves
     * half-open.
     */
    private final Map<String, Instant> probesDue = new ConcurrentHashMap<>();

    /**
     * Most endpoints guarded (and metered) apart. An HTTP endpoint is the host:port of the {@code notifyUrl} a lock
     * names, which the caller chooses: one breaker, one bulkhead and some twenty meters (Prometheus series) per
     * endpoint ever called grew without bound for a caller settling teams with a new host or port each. Partners have a
     * few endpoints each; past this many, a new one shares the {@link #OTHER} breaker and bulkhead until idle ones are
     * forgotten.
     */
    static final int MAX_ENDPOINTS = 1000;
    /** The breaker and bulkhead of the endpoints past {@link #MAX_ENDPOINTS}. */
    static final String OTHER = "other";
    /** Evictions looked for at most this often while the set is full (a scan of the set each). */
    private static final Duration EVICTION_SCAN_EVERY = Duration.ofSeconds(1);

    /** The endpoints guarded apart, with the epoch millisecond of their last call. */
    private final Map<String, Long> lastCall = new ConcurrentHashMap<>();

    private volatile long lastEvictionScan;

    /**
     * Calls in flight per partner; a partner leaves the map with its last call, so it holds at most as many entries as
     * there are calls in flight (a made-up source or channel cannot grow it).
     */
    private final Map<Partner, Integer> partnersInFlight = new ConcurrentHashMap<>();

    public EndpointGuards(GuardSettings settings, MeterRegistry meters, Clock clock) {
        this(settings, meters, clock, MonotonicClock.startingNow());
    }

    /**
     * {@code breakerClock} times the breakers' open state and window: a monotonic clock, so a wall clock stepped back
     * (NTP, a VM resumed) does not hold a breaker open, with no probe, for the step on top of its wait — every callback
     * to the endpoint put off for that long. {@code clock} (the wall clock) dates what is stored: when a refused task is
     * due again, when an endpoint was last called.
     */
    EndpointGuards(GuardSettings settings, MeterRegistry meters, Clock clock, Clock breakerClock) {
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, settings.window().toSeconds()))
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .slowCallRateThreshold(settings.slowCallRateThreshold())
                .slowCallDurationThreshold(settings.slowCallDuration())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                // Half-open on the first call after the wait: a probe is a real task that was due anyway.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(breakerClock)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentPerEndpoint())
                // Never wait for a permit: a thread parked behind a hanging partner is the very thing prevented.
                .maxWaitDuration(Duration.ZERO)
                .build());
        breakers.getEventPublisher().onEntryAdded(added -> watch(added.getAddedEntry()));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        meters.gauge("gbm.notify.partners.in.flight", partnersInFlight, Map::size);
    }

    /**
     * Runs {@code send} under the endpoint's breaker (and bulkhead when {@code limitConcurrency}), or answers "not
     * sent" without running it. No partner cap.
     */
    public DeliveryResult call(String guarded, boolean limitConcurrency, Supplier<DeliveryResult> send) {
        return call(guarded, null, null, limitConcurrency, send);
    }

    /**
     * The same, and when {@code limitConcurrency} and {@code source} is given, under the cap of the partner
     * {@code source}/{@code channel} too (checked after the endpoint's bulkhead, so a call refused by both is counted as
     * the bulkhead's, as before the cap).
     */
    public DeliveryResult call(
            String guarded, String source, String channel, boolean limitConcurrency, Supplier<DeliveryResult> send) {
        return call(guarded, source, channel, limitConcurrency, Duration.ZERO, send);
    }

    /**
     * The same, the call judged slow only past the slow-call duration plus {@code bodyTime}: what its body's bytes take
     * over the slowest partner link served ({@code SendBudget#bodyTime}). Judged by the slow-call duration alone, a
     * partner taking ten ~1 MB completions at 100 KB/s (10 s each, well within their budget) was slow on every one,
     * its breaker opened and its other callbacks were put off: a healthy partner treated as failing.
     */
    public DeliveryResult call(
            String guarded,
            String source,
            String channel,
            boolean limitConcurrency,
            Duration bodyTime,
            Supplier<DeliveryResult> send) {
        boolean ofPartner = limitConcurrency && source != null;
        String endpoint = ofPartner
                ? admit(ofPartner(guarded, source, channel), ofPartner(OTHER, source, channel))
                : admit(guarded);
        CircuitBreaker breaker = breakers.circuitBreaker(endpoint);
        if (!breaker.tryAcquirePermission()) {
            return notSent(endpoint, NotSentReason.BREAKER_OPEN, probeTime(endpoint), "circuit open for " + endpoint);
        }
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            probing(endpoint, bodyTime);
        }
        Bulkhead bulkhead = limitConcurrency ? bulkheads.bulkhead(endpoint) : null;
        if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            return notSent(
                    endpoint,
                    NotSentReason.BULKHEAD_FULL,
                    clock.instant().plus(settings.bulkheadRetryAfter()),
                    settings.maxConcurrentPerEndpoint() + " deliveries to " + endpoint + " already in flight");
        }
        // Null (no cap) for ids naming no partner, which no stored task has.
        Partner partner = ofPartner ? Partner.named(source, channel) : null;
        if (partner != null && !enter(partner)) {
            bulkhead.onComplete();
            breaker.releasePermission();
            return notSent(
                    endpoint,
                    NotSentReason.PARTNER_FULL,
                    clock.instant().plus(settings.bulkheadRetryAfter()),
                    settings.maxConcurrentPerPartner() + " deliveries of partner " + partner + " already in flight");
        }
        long start = System.nanoTime();
        try {
            DeliveryResult result = send.get();
            countChannelNotSent(endpoint, result);
            long took = told(System.nanoTime() - start, settings.slowCallDuration(), bodyTime);
            if (noCallOfTheEndpoint(result)) {
                breaker.releasePermission();
            } else if (result.endpointWell()) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(took, TimeUnit.NANOSECONDS, new UndeliveredCallback(result.error()));
            }
            return result;
        } catch (RuntimeException e) {
            breaker.onError(
                    told(System.nanoTime() - start, settings.slowCallDuration(), bodyTime), TimeUnit.NANOSECONDS, e);
            throw e;
        } finally {
            if (partner != null) {
                leave(partner);
            }
            if (bulkhead != null) {
                bulkhead.onComplete();
            }
        }
    }

    /**
     * The nanoseconds the breaker is told a call took, so that it counts the call slow only past {@code slowCall} plus
     * {@code bodyTime}. Resilience4j judges slowness by one threshold per breaker (a call recorded as longer than
     * {@code slowCallDurationThreshold} is slow) and takes no per-call threshold or slowness predicate; a breaker per
     * body size would split one endpoint's rates. So it is decided here: a call longer than {@code slowCall} but within
     * its body's time is told as taking exactly {@code slowCall} (not slow: the rule is "longer than"); every other call
     * as it took. Told its time less its body's time instead, every big call would show in the breaker's call timer
     * ({@code resilience4j.circuitbreaker.calls}) as far quicker than it was, most as 0; this way only the calls the
     * body excuses show as {@code slowCall}. Without body time (the broker, a caller naming none): the call's own
     * time, as before.
     */
    static long told(long tookNanos, Duration slowCall, Duration bodyTime) {
        long slowNanos = slowCall.toNanos();
        if (tookNanos <= slowNanos || bodyTime.isZero() || bodyTime.isNegative()) {
            return tookNanos;
        }
        Duration room = Duration.ofNanos(Long.MAX_VALUE - slowNanos);
        long allowed = bodyTime.compareTo(room) >= 0 ? Long.MAX_VALUE : slowNanos + bodyTime.toNanos();
        return tookNanos > allowed ? tookNanos : slowNanos;
    }

    /**
     * The name an HTTP endpoint is guarded under for one partner: {@code http:host:port source/channel}, a {@code %} or
     * {@code /} inside the source or channel written {@code %25} / {@code %2F}. The endpoint is the host and port a
     * lock's {@code notifyUrl} names, the caller's choice: guarded for every partner at once, another partner could
     * name this partner's host and port with a path that fails and open the breaker its callbacks wait behind ("not
     * sent: circuit open" for as long as it kept failing there).
     */
    public static String ofPartner(String endpoint, String source, String channel) {
        return endpoint + " " + escaped(source) + "/" + escaped(channel);
    }

    private static String escaped(String name) {
        return String.valueOf(name).replace("%", "%25").replace("/", "%2F");
    }

    /** Takes one of the partner's places if it has one left. */
    private boolean enter(Partner partner) {
        boolean[] entered = {false};
        partnersInFlight.compute(partner, (p, n) -> {
            int now = n == null ? 0 : n;
            if (now >= settings.maxConcurrentPerPartner()) {
                return n;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Gives the place back; the partner is forgotten with its last call. */
    private void leave(Partner partner) {
        partnersInFlight.computeIfPresent(partner, (p, n) -> n <= 1 ? null : n - 1);
    }

    /** The partner's calls in flight now (0 for one without any). */
    public int inFlightOf(String source, String channel) {
        Partner partner = Partner.named(source, channel);
        return partner == null ? 0 : partnersInFlight.getOrDefault(partner, 0);
    }

    /**
     * A batch to one endpoint (MQ publishing a page before waiting for confirms): one permission for the whole batch,
     * every result recorded on the breaker, and {@code size} "not sent" results when the breaker refuses. No bulkhead:
     * a batch is one sender.
     */
    public List<DeliveryResult> callBatch(String guarded, int size, Supplier<List<DeliveryResult>> send) {
        String endpoint = admit(guarded);
        CircuitBreaker breaker = breakers.circuitBreaker(endpoint);
        if (!breaker.tryAcquirePermission()) {
            DeliveryResult refused =
                    notSent(endpoint, NotSentReason.BREAKER_OPEN, probeTime(endpoint), "circuit open for " + endpoint);
            return Collections.nCopies(size, refused);
        }
        long start = System.nanoTime();
        List<DeliveryResult> results;
        try {
            results = send.get();
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        long took = System.nanoTime() - start;
        results.forEach(result -> countChannelNotSent(endpoint, result));
        boolean first = true;
        for (DeliveryResult result : results) {
            if (!first && !breaker.tryAcquirePermission()) {
                // The breaker opened on this batch's own failures: the rest are outcomes it no longer counts.
                break;
            }
            first = false;
            if (noCallOfTheEndpoint(result)) {
                breaker.releasePermission();
            } else if (result.endpointWell()) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(took, TimeUnit.NANOSECONDS, new UndeliveredCallback(result.error()));
            }
        }
        return results;
    }

    /**
     * Whether the channel did not send for a fault of our own process (out of descriptors, local ports or socket
     * buffers) or because our broker blocks our publisher connection (its memory or disk alarm): nothing was sent, so
     * the breaker records the call as neither failure nor success (its permission given back). Counted as failures, a
     * burst of our own faults opened healthy partners' breakers, and an alarm would have held every MQ partner's
     * callbacks for the breaker's open-for once it lifted; as successes, they would thin out a failing endpoint's
     * failure rate.
     */
    private static boolean noCallOfTheEndpoint(DeliveryResult result) {
        return result.notSentBecause(NotSentReason.LOCAL_RESOURCES)
                || result.notSentBecause(NotSentReason.BROKER_BLOCKED);
    }

    /**
     * Whether a result is a full bulkhead's refusal (not the open breaker's, not a failed call): the call was not made.
     * Read from the result's reason; its error text is for operators and may say anything.
     */
    public static boolean bulkheadFull(DeliveryResult result) {
        return result.notSentBecause(NotSentReason.BULKHEAD_FULL);
    }

    /**
     * The name the endpoint is guarded under: its own while fewer than {@link #MAX_ENDPOINTS} are, or after idle ones
     * are forgotten; otherwise {@link #OTHER} (a partner's HTTP endpoint: its partner's own overflow guard).
     */
    private String admit(String endpoint) {
        return admit(endpoint, OTHER);
    }

    /**
     * The same, past the bound into {@code overflow}: a partner's HTTP endpoints into the partner's own overflow guard
     * ({@code other source/channel}). One {@code other} for every partner let a partner naming a thousand endpoints
     * open the breaker (or fill the bulkhead) another partner's new endpoint then waited behind. Partners are the
     * configured source/channel pairs, so their overflow guards are few; they are forgotten when idle like the others.
     */
    private String admit(String endpoint, String overflow) {
        long now = clock.millis();
        if (lastCall.computeIfPresent(endpoint, (e, t) -> now) != null) {
            return endpoint;
        }
        if (lastCall.size() >= MAX_ENDPOINTS) {
            evictIdle(now);
        }
        if (lastCall.size() < MAX_ENDPOINTS) {
            lastCall.putIfAbsent(endpoint, now);
            return endpoint;
        }
        if (!overflow.equals(OTHER)) {
            lastCall.put(overflow, now);
        }
        return overflow;
    }

    /**
     * Forgets endpoints without a call for longer than the window plus the open duration (their breaker holds no
     * outcome any more, and any wait it imposed has ended) and no call in flight: their breaker, bulkhead and meters.
     */
    private synchronized void evictIdle(long now) {
        if (now - lastEvictionScan < EVICTION_SCAN_EVERY.toMillis()) {
            return;
        }
        lastEvictionScan = now;
        long idleBefore = now - settings.window().plus(settings.openFor()).toMillis();
        Set<String> forgotten = new HashSet<>();
        lastCall.forEach((endpoint, last) -> {
            boolean inFlight = bulkheads
                    .find(endpoint)
                    .map(b -> b.getMetrics().getAvailableConcurrentCalls()
                            < b.getMetrics().getMaxAllowedConcurrentCalls())
                    .orElse(false);
            if (last < idleBefore && !inFlight && lastCall.remove(endpoint, last)) {
                breakers.remove(endpoint);
                bulkheads.remove(endpoint);
                openedAt.remove(endpoint);
                probesDue.remove(endpoint);
                forgotten.add(endpoint);
            }
        });
        // Resilience4j removed its own meters with the entries; ours go in one pass over the registry.
        for (Meter meter : meters.getMeters()) {
            String name = meter.getId().getName();
            if ((name.equals("gbm.notify.not.sent") || name.equals("gbm.notify.breaker.transitions"))
                    && forgotten.contains(meter.getId().getTag("endpoint"))) {
                meters.remove(meter);
            }
        }
    }

    /** The breaker's state for an endpoint ({@code CLOSED} for one never called). */
    public CircuitBreaker.State state(String endpoint) {
        return breakers.find(endpoint).map(CircuitBreaker::getState).orElse(CircuitBreaker.State.CLOSED);
    }

    /**
     * Open: when the wait ends. Half-open with every probe taken: when the probes' outcome is due, a slow call from now
     * at the soonest, and no sooner than each probe's own start plus the slow call plus its body's time
     * ({@link #probing}). A probe with a big body is not slow for that long: told "a slow call from now" alone, the
     * tasks it kept out were taken, refused and put back every slow-call duration (2 s) for as long as it was sent (a
     * ~1 MB body at the minimum send rate: half a minute), each time a claim and a write, no try used.
     */
    private Instant probeTime(String endpoint) {
        Instant now = clock.instant();
        Instant opened = openedAt.get(endpoint);
        Instant until = opened == null ? now : opened.plus(settings.openFor());
        Instant soonest = latest(until, now.plus(settings.slowCallDuration()));
        Instant probes = probesDue.get(endpoint);
        return probes == null ? soonest : latest(soonest, probes);
    }

    /**
     * A half-open breaker's probe starts: its outcome is due within a slow call plus its body's time, the body counted
     * at most the open duration (the wait a refused task is told in the open state; a body past the send budget's cap
     * is cut at the cap anyway).
     */
    private void probing(String endpoint, Duration bodyTime) {
        Duration body = bodyTime.compareTo(settings.openFor()) > 0 ? settings.openFor() : bodyTime;
        Instant due = clock.instant().plus(settings.slowCallDuration()).plus(body);
        probesDue.merge(endpoint, due, EndpointGuards::latest);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private DeliveryResult notSent(String endpoint, NotSentReason reason, Instant until, String why) {
        countNotSent(endpoint, reason);
        return DeliveryResult.notSent(reason, until, why);
    }

    /**
     * A result the channel itself did not send ({@link NotSentReason#EXCHANGE_REFUSED}: the broker refuses an isolated
     * MQ partner's own exchange, so {@code AmqpNotifyGateway} publishes none of its messages;
     * {@link NotSentReason#LOCAL_RESOURCES}: our own process could not open the call's socket), counted once as it
     * passes here, under the endpoint the call was guarded as ({@code mq:host:port} for the broker). The guard's own
     * refusals never reach this: the channel was not called for them.
     */
    private void countChannelNotSent(String endpoint, DeliveryResult result) {
        if (result != null && result.notAttempted()) {
            countNotSent(endpoint, result.notSentReason());
        }
    }

    private void countNotSent(String endpoint, NotSentReason reason) {
        Counter.builder("gbm.notify.not.sent")
                .description("callbacks not sent: breaker open, bulkhead or partner cap full, partner exchange refused,"
                        + " MQ channel closed for another message, our broker blocking us, our own socket limits")
                .tag("endpoint", endpoint)
                .tag("reason", meterTag(reason))
                .register(meters)
                .increment();
    }

    /** The meter's reason tag: spelled out here so that renaming the enum does not rename a dashboard's series. */
    private static String meterTag(NotSentReason reason) {
        return switch (reason) {
            case BREAKER_OPEN -> "breaker_open";
            case BULKHEAD_FULL -> "bulkhead_full";
            case PARTNER_FULL -> "partner_full";
            case EXCHANGE_REFUSED -> "exchange_refused";
            case CHANNEL_CLOSED -> "channel_closed";
            case BROKER_BLOCKED -> "broker_blocked";
            case LOCAL_RESOURCES -> "local_resources";
        };
    }

    private void watch(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition transition = event.getStateTransition();
            if (transition.getFromState() == CircuitBreaker.State.HALF_OPEN) {
                probesDue.remove(breaker.getName());
            }
            if (transition.getToState() == CircuitBreaker.State.OPEN
                    || transition.getToState() == CircuitBreaker.State.FORCED_OPEN) {
                openedAt.put(breaker.getName(), clock.instant());
            }
            Counter.builder("gbm.notify.breaker.transitions")
                    .description("circuit breaker state changes")
                    .tag("endpoint", breaker.getName())
                    .tag("from", transition.getFromState().name())
                    .tag("to", transition.getToState().name())
                    .register(meters)
                    .increment();
            log.warn(
                    "callback endpoint {} circuit {} -> {}",
                    breaker.getName(),
                    transition.getFromState(),
                    transition.getToState());
        });
    }

    /** What the breaker records for an answer that was not the acknowledgement (no exception was thrown). */
    static final class UndeliveredCallback extends RuntimeException {
        UndeliveredCallback(String message) {
            super(message, null, false, false);
        }
    }
}
