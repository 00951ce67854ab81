package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one bounded resolver both callback-host checks use. The lookup here is the test's: names starting "silent"
 * wait until the test ends, "unknown" names throw, every other name answers itself upper-cased.
 */
class ResolverPoolTest {

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
        return new ResolverPool<>("test-dns", threads, maxPerOwner, Duration.ofMillis(100), lookup, System::nanoTime);
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

        assertThat(pool.lookup("silent", "A").status()).isEqualTo(ResolverPool.Status.TIMED_OUT);
        assertThat(pool.timedOut()).isEqualTo(1);
        assertThat(pool.running()).isEqualTo(1);
        assertThat(pool.refusedBusy()).isZero();
    }

    @Test
    void aNameBeingLookedUpIsJoinedNotLookedUpAgainAndPastItsDeadlineRefusedAtOnce() {
        ResolverPool<String> pool = pool(1, 1);
        ResolverPool.Pending<String> first = pool.start("silent", "A");
        assertThat(pool.start("silent", "B"))
                .as("joined, even by another owner")
                .isSameAs(first);
        assertThat(pool.lookup("silent", "A").status()).isEqualTo(ResolverPool.Status.TIMED_OUT);

        long again = System.nanoTime();
        assertThat(pool.lookup("silent", "B").status()).isEqualTo(ResolverPool.Status.TIMED_OUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again)).isLessThan(50);
        assertThat(lookups.get("silent")).hasValue(1);
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
        assertThat(pool.start("silent", "A")).isNotNull();
        assertThat(pool.lookup("mall-3", "A").status()).isEqualTo(ResolverPool.Status.BUSY);

        silentAnswers.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.running() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
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
}
