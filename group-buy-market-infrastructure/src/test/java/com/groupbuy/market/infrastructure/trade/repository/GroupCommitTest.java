package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit}'s batch of one (settlements, #19): handed back to its caller to be written alone, without the
 * writer and without counting as a fallback, while two writes that share a batch go to the writer.
 */
class GroupCommitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private GroupCommit<String, String> group;

    @AfterEach
    void stop() throws InterruptedException {
        if (group != null) {
            group.close();
        }
        callers.shutdownNow();
    }

    @Test
    void aLoneWriteIsHandedBackToBeWrittenAloneAndTwoTogetherGoToTheWriter() throws Exception {
        try (GroupCommit<String, String> alone =
                new GroupCommit<>("t", "writes", this::write, true, 64, Duration.ofMillis(200), meters)) {
            assertThat(alone.submit("lone")).isEmpty();
        }
        assertThat(batches).isEmpty();

        // A batch of at most two and a window of a minute: a and b share a batch however late the busy machine
        // lets b arrive (with 200 ms, a was handed back alone when b came later), and it goes as soon as b is in.
        group = new GroupCommit<>("t", "writes", this::write, true, 2, Duration.ofMinutes(1), meters);
        Future<Optional<String>> a = callers.submit(() -> group.submit("a"));
        Future<Optional<String>> b = callers.submit(() -> group.submit("b"));
        assertThat(a.get(5, TimeUnit.SECONDS)).contains("a written");
        assertThat(b.get(5, TimeUnit.SECONDS)).contains("b written");
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyInAnyOrder("a", "b");
        assertThat(meters.get("gbm.t.group.commit.fallbacks").counter().count()).isZero();
        assertThat(meters.get("gbm.t.group.commit.batch").summary().count()).isEqualTo(2);
    }

    @Test
    void withoutItALoneWriteGoesToTheWriter() throws Exception {
        group = new GroupCommit<>("t", "writes", this::write, false, 64, Duration.ZERO, meters);

        assertThat(group.submit("lone")).contains("lone written");
        assertThat(batches).containsExactly(List.of("lone"));
    }

    /**
     * Pipelining (#19, branch locktail): with two writers, a batch's statements are written while the batch before it
     * commits, and each batch's callers are answered only once their own batch committed. With the hand-over not
     * called (the writer then hands the turn over only when its commit returned, as one writer does), the second batch
     * is not written until the first one's commit ends, and this test fails at {@code secondWritten}.
     */
    @Test
    void withTwoWritersTheNextBatchIsWrittenWhileTheOneBeforeCommitsAndEachIsAnsweredOnlyOnceItsOwnCommitted()
            throws Exception {
        CountDownLatch firstCommitting = new CountDownLatch(1);
        CountDownLatch firstMayCommit = new CountDownLatch(1);
        CountDownLatch secondWritten = new CountDownLatch(1);
        List<String> statementsOverlapping = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inStatements = new AtomicInteger();
        group = new GroupCommit<String, String>(
                "t",
                "writes",
                (writes, statementsWritten) -> {
                    if (inStatements.incrementAndGet() > 1) {
                        statementsOverlapping.add(writes.get(0));
                    }
                    batches.add(List.copyOf(writes));
                    inStatements.decrementAndGet();
                    statementsWritten.run(); // only the commit is left
                    if (writes.contains("a")) {
                        firstCommitting.countDown();
                        await(firstMayCommit); // a slow commit (the log flush)
                    } else {
                        secondWritten.countDown();
                    }
                    return writes.stream().map(w -> w + " written").toList();
                },
                false,
                64,
                Duration.ZERO,
                2,
                meters);

        Future<Optional<String>> a = callers.submit(() -> group.submit("a"));
        assertThat(firstCommitting.await(5, TimeUnit.SECONDS)).isTrue();
        Future<Optional<String>> b = callers.submit(() -> group.submit("b"));

        assertThat(secondWritten.await(5, TimeUnit.SECONDS))
                .as("b's batch written while a's commits")
                .isTrue();
        assertThat(b.get(5, TimeUnit.SECONDS)).contains("b written");
        assertThat(a).as("a answered before its own commit ended").isNotDone();
        firstMayCommit.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS)).contains("a written");
        assertThat(batches).containsExactly(List.of("a"), List.of("b"));
        assertThat(statementsOverlapping).as("two batches' statements at once").isEmpty();
    }

    /** One writer (settlements, and locks with {@code writers: 1}): the next batch waits for the commit before it. */
    @Test
    void withOneWriterTheNextBatchWaitsForTheCommitBeforeIt() throws Exception {
        CountDownLatch firstCommitting = new CountDownLatch(1);
        CountDownLatch firstMayCommit = new CountDownLatch(1);
        group = new GroupCommit<String, String>(
                "t",
                "writes",
                (writes, statementsWritten) -> {
                    batches.add(List.copyOf(writes));
                    statementsWritten.run();
                    if (writes.contains("a")) {
                        firstCommitting.countDown();
                        await(firstMayCommit);
                    }
                    return writes.stream().map(w -> w + " written").toList();
                },
                false,
                64,
                Duration.ZERO,
                1,
                meters);

        Future<Optional<String>> a = callers.submit(() -> group.submit("a"));
        assertThat(firstCommitting.await(5, TimeUnit.SECONDS)).isTrue();
        Future<Optional<String>> b = callers.submit(() -> group.submit("b"));
        // b cannot be written before a's commit: poll until it is queued (a bound far beyond any machine's delay)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (group.queued() == 0 && System.nanoTime() - until < 0) {
            Thread.sleep(2);
        }
        assertThat(group.queued()).isEqualTo(1);
        assertThat(batches).containsExactly(List.of("a"));
        firstMayCommit.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS)).contains("a written");
        assertThat(b.get(5, TimeUnit.SECONDS)).contains("b written");
        assertThat(batches).containsExactly(List.of("a"), List.of("b"));
    }

    /**
     * A group that answers a failed batch's callers otherwise than "write alone" (settlements, after a batch that waited
     * its statement bound) answers the writes queued behind that batch the same at once, unwritten: they waited behind
     * it, and as the next batch could wait as long again on the same row.
     */
    @Test
    void aFailureAnsweredOtherwiseAnswersTheWritesQueuedBehindItTheSame() throws Exception {
        CountDownLatch failing = new CountDownLatch(1);
        CountDownLatch mayFail = new CountDownLatch(1);
        group =
                new GroupCommit<String, String>(
                        "t",
                        "writes",
                        writes -> {
                            batches.add(List.copyOf(writes));
                            if (writes.contains("a")) {
                                failing.countDown();
                                await(mayFail);
                                throw new IllegalStateException("waited its bound");
                            }
                            return writes.stream().map(w -> w + " written").toList();
                        },
                        false,
                        64,
                        Duration.ZERO,
                        meters) {
                    @Override
                    protected String failed(Throwable e) {
                        return "busy";
                    }
                };
        Future<Optional<String>> a = callers.submit(() -> group.submit("a"));
        assertThat(failing.await(5, TimeUnit.SECONDS)).isTrue();
        Future<Optional<String>> q = callers.submit(() -> group.submit("q"));
        for (int i = 0; i < 500 && group.queued() == 0; i++) {
            Thread.sleep(2);
        }
        assertThat(group.queued()).isEqualTo(1);
        mayFail.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS)).contains("busy");
        assertThat(q.get(5, TimeUnit.SECONDS)).contains("busy");
        assertThat(batches).containsExactly(List.of("a"));
        assertThat(group.submit("later")).contains("later written");
    }

    /** Both writers stop on close: writes after it are handed back to be written alone. */
    @Test
    void closeStopsBothWriters() throws Exception {
        group = new GroupCommit<String, String>(
                "t", "writes", (writes, statementsWritten) -> write(writes), false, 64, Duration.ZERO, 2, meters);
        assertThat(group.submit("a")).contains("a written");
        group.close();
        assertThat(group.submit("late")).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("t-group-commit")))
                .isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> write(List<String> writes) {
        batches.add(List.copyOf(writes));
        return writes.stream().map(w -> w + " written").toList();
    }
}
