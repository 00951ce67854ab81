package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

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
 * every other name to 8.8.8.8.
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

    private static void awaitNoLookupRunning(NotifyHostLookup hosts) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hosts.lookupsRunning() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(hosts.lookupsRunning()).isZero();
    }
}
