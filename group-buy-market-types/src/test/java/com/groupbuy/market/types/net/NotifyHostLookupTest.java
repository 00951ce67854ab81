package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock-time lookup of notifyUrl hosts: bounded, one lookup per host, answers kept, and a name server that never
 * answers costs one resolver thread and never makes a host partners use refused. The resolver here is the test's:
 * names starting "silent" wait until the test ends, "private" names resolve to 10.0.0.1, "unknown" names to no host,
 * "flip" names to 8.8.8.8 once and, looked up again, to 10.0.0.2 when the test lets them answer, every other name to
 * 8.8.8.8.
 */
class NotifyHostLookupTest {

    private final CountDownLatch silentAnswers = new CountDownLatch(1);
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private final NotifyHostLookup.Resolver resolver = host -> {
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        if (host.startsWith("silent")) {
            try {
                silentAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("8.8.4.4")};
        }
        if (host.startsWith("flip") && lookupsOf(host) > 1) {
            // Allowed at first; looked up again it answers only when the test lets it, with a private address.
            try {
                silentAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("10.0.0.2")};
        }
        if (host.startsWith("unknown")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(host.startsWith("private") ? "10.0.0.1" : "8.8.8.8")};
    };

    @AfterEach
    void release() {
        silentAnswers.countDown();
    }

    private NotifyHostLookup lookup(int threads, int maxHosts) {
        return lookup(threads, threads, maxHosts);
    }

    private NotifyHostLookup lookup(int threads, int maxPerPartner, int maxHosts) {
        return new NotifyHostLookup(
                new NotifyUrlPolicy(true, false, url -> true),
                resolver,
                Duration.ofMillis(200),
                threads,
                maxPerPartner,
                maxHosts,
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                clock::get);
    }

    private int lookupsOf(String host) {
        AtomicInteger count = lookups.get(host);
        return count == null ? 0 : count.get();
    }

    @Test
    void aSilentHostIsRefusedAtTheBoundAndCostsOneLookupHoweverOftenItIsSent() throws Exception {
        NotifyHostLookup hosts = lookup(4, 100);
        List<CompletableFuture<String>> sent = new ArrayList<>();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> hosts.refusal("silent.example", "s01", "c01"), requests));
            }
            for (CompletableFuture<String> answer : sent) {
                // Far beyond the 200 ms bound (the name server never answers): a bound, not a measure of speed.
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(NotifyHostLookup.TIMED_OUT);
            }
        } finally {
            requests.shutdownNow();
        }
        clock.addAndGet(Duration.ofMillis(300).toNanos());

        // Whether it waits, not how long it takes, decides: a wait lets the name server answer (8.8.4.4, allowed).
        assertThat(WaitProbe.answerIfItWaits(silentAnswers, () -> hosts.refusal("SILENT.example", "s01", "c01")))
                .as("past its deadline a pending lookup is not waited for again")
                .isEqualTo(NotifyHostLookup.TIMED_OUT);
        assertThat(lookupsOf("silent.example")).isEqualTo(1);
        assertThat(hosts.lookupsRunning()).isEqualTo(1);
    }

    @Test
    void aFullPoolRefusesHostsNotSeenButHostsWithAnAnswerStillPass() {
        NotifyHostLookup hosts = lookup(2, 100);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("private.example", "s01", "c01")).contains("non-public");
        assertThat(hosts.refusal("silent-1.example", "s01", "c01")).isEqualTo(NotifyHostLookup.TIMED_OUT);
        assertThat(hosts.refusal("silent-2.example", "s01", "c01")).isEqualTo(NotifyHostLookup.TIMED_OUT);

        assertThat(hosts.refusal("silent-3.example", "s01", "c01")).isEqualTo(NotifyHostLookup.BUSY);
        assertThat(hosts.refusal("new-mall.example", "s01", "c01")).isEqualTo(NotifyHostLookup.BUSY);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("private.example", "s01", "c01")).contains("non-public");
        assertThat(lookupsOf("silent-3.example")).isZero();
        assertThat(lookupsOf("mall.example")).isEqualTo(1);
        assertThat(lookupsOf("private.example")).isEqualTo(1);
    }

    @Test
    void onePartnersSilentNamesHoldOnlyItsShareAndAnotherPartnersNewHostIsStillLookedUp() {
        NotifyHostLookup hosts = lookup(4, 2, 100);
        assertThat(hosts.refusal("silent-1.example", "s08", "c08")).isEqualTo(NotifyHostLookup.TIMED_OUT);
        assertThat(hosts.refusal("silent-2.example", "s08", "c08")).isEqualTo(NotifyHostLookup.TIMED_OUT);
        assertThat(hosts.refusal("silent-3.example", "s08", "c08")).isEqualTo(NotifyHostLookup.BUSY);
        assertThat(hosts.refusal("silent-4.example", "s08", "c09"))
                .as("another channel is another partner")
                .isEqualTo(NotifyHostLookup.TIMED_OUT);

        assertThat(hosts.refusal("new-mall.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("silent-1.example", "s01", "c01"))
                .as("a name being looked up is joined whoever started it")
                .isEqualTo(NotifyHostLookup.TIMED_OUT);
        assertThat(lookupsOf("silent-3.example")).isZero();
        assertThat(lookupsOf("silent-1.example")).isEqualTo(1);
        assertThat(hosts.lookupsRunning()).isEqualTo(3);
        assertThat(hosts.pool().refusedOwnerBusy()).isEqualTo(1);
    }

    @Test
    void anAllowedHostPastItsTtlIsServedWhileThePoolIsFullAndLookedUpAgainOnceAThreadIsFree() throws Exception {
        NotifyHostLookup hosts = lookup(1, 100);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("silent.example", "s01", "c01")).isEqualTo(NotifyHostLookup.TIMED_OUT);
        clock.addAndGet(Duration.ofSeconds(31).toNanos());

        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(lookupsOf("mall.example")).isEqualTo(1);

        silentAnswers.countDown();
        awaitNoLookupRunning(hosts);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        awaitNoLookupRunning(hosts);
        assertThat(lookupsOf("mall.example")).isEqualTo(2);
    }

    @Test
    void aHostThatDoesNotResolveIsRefusedForTheFailureTtlThenLookedUpAgain() {
        NotifyHostLookup hosts = lookup(2, 100);
        assertThat(hosts.refusal("unknown.example", "s01", "c01")).isEqualTo(NotifyHostLookup.UNKNOWN);
        clock.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(hosts.refusal("unknown.example", "s01", "c01")).isEqualTo(NotifyHostLookup.UNKNOWN);
        assertThat(lookupsOf("unknown.example")).isEqualTo(1);

        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(hosts.refusal("unknown.example", "s01", "c01")).isEqualTo(NotifyHostLookup.UNKNOWN);
        assertThat(lookupsOf("unknown.example")).isEqualTo(2);
    }

    @Test
    void addressesAreCheckedWithoutALookup() {
        NotifyHostLookup hosts = lookup(1, 100);
        assertThat(hosts.refusal("silent.example", "s01", "c01")).isEqualTo(NotifyHostLookup.TIMED_OUT);

        assertThat(hosts.refusal("127.0.0.1", "s01", "c01")).isNull();
        assertThat(hosts.refusal("[::1]", "s01", "c01")).isNull();
        assertThat(hosts.refusal("8.8.8.8", "s01", "c01")).isNull();
        assertThat(hosts.refusal("10.1.2.3", "s01", "c01")).contains("non-public");
        assertThat(hosts.refusal("[fd00::1]", "s01", "c01")).contains("non-public");
        assertThat(NotifyHostLookup.isAddress("256.1.1.1")).isFalse();
        assertThat(NotifyHostLookup.isAddress("1.2.3")).isFalse();
        assertThat(lookups.keySet()).containsExactly("silent.example");
    }

    @Test
    void overMaxHostsHostsAskedForAgainOutliveHostsSeenOnce() {
        NotifyHostLookup hosts = lookup(4, 100);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        for (int i = 0; i < 300; i++) {
            hosts.refusal("once-" + i + ".example", "s01", "c01");
            hosts.refusal("unknown-" + i + ".example", "s01", "c01");
        }

        assertThat(hosts.size()).isLessThanOrEqualTo(100);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(lookupsOf("mall.example")).isEqualTo(1);
    }

    @Test
    void theBoundsMustBeUsable() {
        Duration second = Duration.ofSeconds(1);
        NotifyUrlPolicy policy = new NotifyUrlPolicy(true, false, url -> true);
        for (Runnable bad : List.<Runnable>of(
                () -> new NotifyHostLookup(policy, resolver, Duration.ZERO, 1, 1, 1, second, second, clock::get),
                () -> new NotifyHostLookup(policy, resolver, second.negated(), 1, 1, 1, second, second, clock::get),
                () -> new NotifyHostLookup(policy, resolver, second, 1, 1, 1, second.negated(), second, clock::get),
                () -> new NotifyHostLookup(policy, resolver, second, 1, 1, 1, second, second.negated(), clock::get),
                () -> new NotifyHostLookup(policy, resolver, second, 0, 1, 1, second, second, clock::get),
                () -> new NotifyHostLookup(policy, resolver, second, 1, 0, 1, second, second, clock::get),
                () -> new NotifyHostLookup(policy, resolver, second, 1, 1, 0, second, second, clock::get))) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class);
        }

        NotifyHostLookup smallest =
                new NotifyHostLookup(policy, resolver, second, 1, 1, 1, Duration.ZERO, Duration.ZERO, clock::get);
        assertThat(smallest.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(smallest.size()).isEqualTo(1);
    }

    /** An allowed answer is used for exactly {@code ttl} (30 s here, not the failures' 10 s), then looked up again. */
    @Test
    void anAllowedAnswerIsKeptForItsTtlToTheNanosecond() throws Exception {
        NotifyHostLookup hosts = lookup(2, 100);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        clock.addAndGet(Duration.ofSeconds(30).toNanos() - 1);

        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        assertThat(lookupsOf("mall.example")).isEqualTo(1);

        clock.addAndGet(1);
        assertThat(hosts.refusal("mall.example", "s01", "c01")).isNull();
        awaitNoLookupRunning(hosts);
        assertThat(lookupsOf("mall.example")).isEqualTo(2);
    }

    /**
     * A host allowed before is served at once while its fresh lookup runs (the delivery checks the addresses again):
     * the request does not wait for it. Whether it waits, not how long it takes, decides: a wait lets the fresh lookup
     * answer (a private address, refused). Once that answer is in, it is the one used.
     */
    @Test
    void aHostAllowedBeforeIsNotWaitedForWhileItIsLookedUpAgain() throws Exception {
        NotifyHostLookup hosts = lookup(2, 100);
        assertThat(hosts.refusal("flip.example", "s01", "c01")).isNull();
        clock.addAndGet(Duration.ofSeconds(31).toNanos());

        assertThat(WaitProbe.answerIfItWaits(silentAnswers, () -> hosts.refusal("flip.example", "s01", "c01")))
                .as("served from before, not waited for")
                .isNull();
        assertThat(hosts.lookupsRunning()).isEqualTo(1);

        silentAnswers.countDown();
        awaitNoLookupRunning(hosts);
        assertThat(hosts.refusal("flip.example", "s01", "c01")).contains("non-public");
        assertThat(lookupsOf("flip.example")).isEqualTo(2);
    }

    /**
     * Up to {@code maxHosts} answers are all kept; one more drops a tenth of the bound plus the excess, expired answers
     * first, then refusals, then allowed answers never asked for again; an allowed answer asked for again stays.
     */
    @Test
    void overMaxHostsExpiredAnswersGoFirstThenRefusalsThenHostsSeenOnce() {
        NotifyHostLookup hosts = lookup(2, 10);
        assertThat(hosts.refusal("old.example", "s01", "c01")).isNull();
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(hosts.refusal("private-1.example", "s01", "c01")).contains("non-public");
        assertThat(hosts.refusal("again.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("again.example", "s01", "c01")).isNull();
        for (int i = 1; i <= 7; i++) {
            assertThat(hosts.refusal("once-" + i + ".example", "s01", "c01")).isNull();
        }
        assertThat(hosts.size()).as("the bound itself is kept whole").isEqualTo(10);

        assertThat(hosts.refusal("once-8.example", "s01", "c01")).isNull();
        assertThat(hosts.size()).as("11 over a bound of 10: 2 dropped").isEqualTo(9);
        assertThat(hosts.refusal("again.example", "s01", "c01")).isNull();
        for (int i = 1; i <= 8; i++) {
            assertThat(hosts.refusal("once-" + i + ".example", "s01", "c01")).isNull();
            assertThat(lookupsOf("once-" + i + ".example")).as("once-" + i).isEqualTo(1);
        }
        assertThat(hosts.refusal("private-1.example", "s01", "c01")).contains("non-public");
        assertThat(lookupsOf("private-1.example")).as("the refusal was dropped").isEqualTo(2);

        for (int i = 9; i <= 12; i++) {
            assertThat(hosts.refusal("once-" + i + ".example", "s01", "c01")).isNull();
        }
        assertThat(hosts.refusal("again.example", "s01", "c01")).isNull();
        assertThat(lookupsOf("again.example"))
                .as("asked for again: outlives hosts seen once")
                .isEqualTo(1);
        assertThat(hosts.refusal("old.example", "s01", "c01")).isNull();
        assertThat(lookupsOf("old.example"))
                .as("the expired answer was dropped")
                .isEqualTo(2);
        for (int i = 1; i <= 8; i++) {
            assertThat(hosts.refusal("once-" + i + ".example", "s01", "c01")).isNull();
            assertThat(lookupsOf("once-" + i + ".example"))
                    .as("once-" + i + ", asked for again, outlives the hosts seen once since")
                    .isEqualTo(1);
        }
    }

    @Test
    void anAddressThatNamesNoInterfaceIsRefusedWithoutALookup() {
        NotifyHostLookup hosts = lookup(1, 100);

        assertThat(hosts.refusal("[::1%nosuchzone9]", "s01", "c01")).isEqualTo(NotifyHostLookup.UNKNOWN);
        assertThat(lookups).isEmpty();
    }

    private static void awaitNoLookupRunning(NotifyHostLookup hosts) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hosts.lookupsRunning() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(hosts.lookupsRunning()).isZero();
    }
}
