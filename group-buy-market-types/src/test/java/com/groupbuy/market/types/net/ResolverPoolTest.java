package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one bounded resolver both callback-host checks use. The lookup here is the test's: names starting "silent"
 * wait until the test ends, "unknown" names throw, every other name answers itself upper-cased.
 * <p>
 * Time is the test's too: the pool reads {@link #now}, which moves only when a test moves it. A lookup's deadline is
 * a minute after it starts, so an answering lookup is never late however slow the machine; a silent one is made late
 * by moving the clock, not by waiting. (With 100 ms of real time, an answer slower than that under load was told
 * TIMED_OUT, and a check that a wait took under 50 ms failed when the machine was busy.)
 */
class ResolverPoolTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final AtomicLong now = new AtomicLong();
    private final CountDownLatch silentAnswers = new CountDownLatch(1);
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    private final ResolverPool.Lookup<String> lookup = name -> {
        lookups.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (name.startsWith("silent")) {
            silentAnswers.await();
        }
        if (name.startsWith("unknown")) {
            throw new UnknownHostException(name);
        }
        return name.toUpperCase();
    };

    @AfterEach
    void release() {
        silentAnswers.countDown();
    }

    private ResolverPool<String> pool(int threads, int maxPerOwner) {
        return new ResolverPool<>("test-dns", threads, maxPerOwner, TIMEOUT, lookup, now::get);
    }

    /**
     * The lookups of {@code name} once its first has begun on a pool thread: a lookup told TIMED_OUT by the test's
     * clock may not have been picked up by its thread yet on a busy machine (the count was read as absent once).
     */
    private AtomicInteger lookupsOnceStarted(String name) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!lookups.containsKey(name) && System.nanoTime() < giveUp) {
            Thread.sleep(1);
        }
        return lookups.get(name);
    }

    /** Moves the pool's clock to {@code left} before the deadline of a lookup started at the current time. */
    private void moveTo(Duration left) {
        now.addAndGet(TIMEOUT.minus(left).toNanos());
    }

    @Test
    void answersFailuresAndTimeoutsAreTold() {
        ResolverPool<String> pool = pool(2, 2);
        ResolverPool.Result<String> answered = pool.lookup("mall", "A");
        assertThat(answered.status()).isEqualTo(ResolverPool.Status.ANSWERED);
        assertThat(answered.value()).isEqualTo("MALL");

        ResolverPool.Result<String> failed = pool.lookup("unknown", "A");
        assertThat(failed.status()).isEqualTo(ResolverPool.Status.FAILED);
        assertThat(failed.failure()).isInstanceOf(UnknownHostException.class);

        ResolverPool.Pending<String> silent = pool.start("silent", "A");
        moveTo(Duration.ofMillis(1));
        assertThat(pool.await(silent).status())
                .as("waited the millisecond left, the name server still silent")
                .isEqualTo(ResolverPool.Status.TIMED_OUT);
        assertThat(pool.timedOut()).isEqualTo(1);
        assertThat(pool.running()).isEqualTo(1);
        assertThat(pool.refusedBusy()).isZero();
    }

    @Test
    void aNameBeingLookedUpIsJoinedNotLookedUpAgainAndPastItsDeadlineRefusedAtOnce() throws Exception {
        ResolverPool<String> pool = pool(1, 1);
        ResolverPool.Pending<String> first = pool.start("silent", "A");
        assertThat(pool.start("silent", "B"))
                .as("joined, even by another owner")
                .isSameAs(first);
        moveTo(Duration.ofMillis(1));
        assertThat(pool.lookup("silent", "A").status()).isEqualTo(ResolverPool.Status.TIMED_OUT);
        now.addAndGet(Duration.ofMillis(1).toNanos());

        ResolverPool.Result<String> again = WaitProbe.answerIfItWaits(silentAnswers, () -> pool.lookup("silent", "B"));
        assertThat(again.status())
                .as("past its deadline a joined lookup is refused without a wait (a wait is answered here)")
                .isEqualTo(ResolverPool.Status.TIMED_OUT);
        assertThat(pool.timedOut()).isEqualTo(2);
        assertThat(lookupsOnceStarted("silent"))
                .as("looked up once, joined by B")
                .hasValue(1);
        assertThat(pool.refusedBusy()).isZero();
    }

    @Test
    void oneOwnerRunsAtMostItsShareAndTheRestStaysOpenToOthers() {
        ResolverPool<String> pool = pool(4, 2);
        assertThat(pool.start("silent-1", "A")).isNotNull();
        assertThat(pool.start("silent-2", "A")).isNotNull();

        assertThat(pool.lookup("silent-3", "A").status()).isEqualTo(ResolverPool.Status.BUSY);
        assertThat(lookups).doesNotContainKey("silent-3");
        assertThat(pool.refusedOwnerBusy()).isEqualTo(1);
        assertThat(pool.lookup("mall", "B").value()).isEqualTo("MALL");
        assertThat(pool.start("silent-4", "B")).isNotNull();
        assertThat(pool.start("silent-5", "C")).isNotNull();

        assertThat(pool.lookup("other", "D").status())
                .as("every thread held: busy for anyone")
                .isEqualTo(ResolverPool.Status.BUSY);
        assertThat(pool.refusedBusy()).isEqualTo(2);
        assertThat(pool.refusedOwnerBusy()).isEqualTo(1);
        assertThat(pool.running()).isEqualTo(4);
    }

    @Test
    void anOwnersShareIsFreedWhenItsLookupsEnd() throws Exception {
        ResolverPool<String> pool = pool(4, 1);
        assertThat(pool.lookup("mall-1", "A").status()).isEqualTo(ResolverPool.Status.ANSWERED);
        assertThat(pool.lookup("mall-2", "A").status()).isEqualTo(ResolverPool.Status.ANSWERED);
        ResolverPool.Pending<String> silent = pool.start("silent", "A");
        assertThat(silent).isNotNull();
        assertThat(pool.lookup("mall-3", "A").status()).isEqualTo(ResolverPool.Status.BUSY);

        silentAnswers.countDown();
        // The thread and the share are freed before any waiter learns the answer.
        assertThat(pool.await(silent).status()).isEqualTo(ResolverPool.Status.ANSWERED);
        assertThat(pool.running()).isZero();
        assertThat(pool.lookup("mall-3", "A").status()).isEqualTo(ResolverPool.Status.ANSWERED);
    }

    @Test
    void aNullOwnerIsNotCapped() {
        ResolverPool<String> pool = pool(3, 1);
        assertThat(pool.start("silent-1", null)).isNotNull();
        assertThat(pool.start("silent-2", null)).isNotNull();
        assertThat(pool.start("silent-3", null)).isNotNull();
        assertThat(pool.start("silent-4", null)).isNull();
        assertThat(pool.refusedOwnerBusy()).isZero();
    }

    /** A share of two: one of the owner's lookups ending frees one place, not both and not none. */
    @Test
    void anOwnersShareIsFreedOneLookupAtATime() {
        ResolverPool<String> pool = pool(4, 2);
        assertThat(pool.start("silent-1", "A")).isNotNull();
        assertThat(pool.lookup("mall", "A").status()).isEqualTo(ResolverPool.Status.ANSWERED);

        assertThat(pool.start("silent-2", "A"))
                .as("the place mall held is free")
                .isNotNull();
        assertThat(pool.start("silent-3", "A"))
                .as("silent-1 and silent-2 still hold the share")
                .isNull();
        assertThat(pool.refusedOwnerBusy()).isEqualTo(1);
    }

    /** A wait interrupted ends at once as TIMED_OUT and keeps the thread's interrupt for its caller to see. */
    @Test
    void anInterruptedWaitEndsAndKeepsTheInterrupt() {
        ResolverPool<String> pool = pool(1, 1);
        ResolverPool.Pending<String> silent = pool.start("silent", "A");

        Thread.currentThread().interrupt();
        ResolverPool.Result<String> result = pool.await(silent);

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(result).isNotNull();
        assertThat(result.status()).isEqualTo(ResolverPool.Status.TIMED_OUT);
    }

    /** A lookup that never ends must not keep the JVM from exiting: the pool's threads are daemons. */
    @Test
    void lookupsRunOnDaemonThreadsOfThePoolsName() {
        ResolverPool<String> pool = new ResolverPool<>(
                "daemon-check",
                1,
                1,
                TIMEOUT,
                name -> Thread.currentThread().isDaemon() + " "
                        + Thread.currentThread().getName(),
                now::get);

        assertThat(pool.lookup("x", null).value()).startsWith("true daemon-check-");
    }
}
