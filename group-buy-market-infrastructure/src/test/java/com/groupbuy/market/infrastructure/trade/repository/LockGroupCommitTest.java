package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching of {@link LockGroupCommit} without a database (its SQL is proven by the integration tests): what queues
 * while a batch is written forms the next one, each caller gets its own outcome, a failed batch sends every caller to
 * write alone, and nothing waits forever once it is closed.
 */
class LockGroupCommitTest {

    private static final Function<LockOrderAggregate, MarketPayOrderEntity> NOT_BRIEFLY = l -> {
        throw new AssertionError("written alone briefly: " + l.getOrderId());
    };

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final ScriptedWriter writer = new ScriptedWriter();
    private LockGroupCommit groupCommit;

    @AfterEach
    void stop() throws InterruptedException {
        writer.gate.countDown();
        if (groupCommit != null) {
            groupCommit.close();
        }
        callers.shutdownNow();
    }

    @Test
    void locksQueuedWhileABatchIsWrittenShareTheNextOneAndEachCallerGetsItsOwnOrder() throws Exception {
        groupCommit = new LockGroupCommit(writer, 64, Duration.ZERO, new SimpleMeterRegistry());
        writer.gate = new CountDownLatch(1);
        Future<MarketPayOrderEntity> first = submit("o-first");
        writer.entered.await(5, TimeUnit.SECONDS);
        List<Future<MarketPayOrderEntity>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(submit("o-" + i));
        }
        awaitQueued(5);
        writer.gate.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-first");
        for (int i = 0; i < 5; i++) {
            assertThat(queued.get(i).get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-" + i);
        }
        assertThat(writer.sizes).containsExactly(1, 5);
    }

    @Test
    void aBatchHoldsAtMostMaxBatchLocks() throws Exception {
        groupCommit = new LockGroupCommit(writer, 2, Duration.ZERO, new SimpleMeterRegistry());
        writer.gate = new CountDownLatch(1);
        Future<MarketPayOrderEntity> first = submit("o-first");
        writer.entered.await(5, TimeUnit.SECONDS);
        List<Future<MarketPayOrderEntity>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(submit("o-" + i));
        }
        awaitQueued(5);
        writer.gate.countDown();
        for (Future<MarketPayOrderEntity> f : queued) {
            f.get(5, TimeUnit.SECONDS);
        }
        first.get(5, TimeUnit.SECONDS);

        assertThat(writer.sizes).containsExactly(1, 2, 2, 1);
    }

    @Test
    void aRefusedLockIsRefusedAloneAndItsNeighboursAreWritten() throws Exception {
        groupCommit = new LockGroupCommit(writer, 64, Duration.ofMillis(200), new SimpleMeterRegistry());
        Future<MarketPayOrderEntity> full = submit("full-1");
        Future<MarketPayOrderEntity> fine = submit("o-1");

        assertThat(fine.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-1");
        assertThatThrownBy(() -> full.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AppException.class)
                .cause()
                .hasFieldOrPropertyWithValue("code", ResponseCode.E0005.getCode());
        assertThat(writer.sizes).containsExactly(2);
    }

    @Test
    void aFailedBatchSendsEveryCallerToWriteItsLockAlone() throws Exception {
        groupCommit = new LockGroupCommit(writer, 64, Duration.ofMillis(200), new SimpleMeterRegistry());
        writer.failure = new IllegalStateException("duplicate key in the batch");
        List<String> alone = Collections.synchronizedList(new ArrayList<>());
        Function<LockOrderAggregate, MarketPayOrderEntity> writeAlone = lock -> {
            alone.add(lock.getOrderId());
            return MarketPayOrderEntity.builder()
                    .orderId(lock.getOrderId() + "-alone")
                    .build();
        };
        Future<MarketPayOrderEntity> a = callers.submit(() -> groupCommit.lock(lock("o-a"), writeAlone, NOT_BRIEFLY));
        Future<MarketPayOrderEntity> b = callers.submit(() -> groupCommit.lock(lock("o-b"), writeAlone, NOT_BRIEFLY));

        assertThat(a.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-a-alone");
        assertThat(b.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-b-alone");
        assertThat(alone).containsExactlyInAnyOrder("o-a", "o-b");
    }

    /**
     * A batch whose statement waited its statement bound (MariaDB's 1969) sends its callers to write alone briefly, not
     * alone with the full bound again: they have waited that bound already.
     */
    @Test
    void aBatchThatWaitedItsBoundSendsEveryCallerToWriteItsLockAloneBriefly() throws Exception {
        groupCommit = new LockGroupCommit(writer, 64, Duration.ofMillis(200), new SimpleMeterRegistry());
        writer.failure = new IllegalStateException(
                new SQLException("Query execution was interrupted (max_statement_time exceeded)", "70100", 1969));
        List<String> briefly = Collections.synchronizedList(new ArrayList<>());
        Function<LockOrderAggregate, MarketPayOrderEntity> writeAloneBriefly = lock -> {
            briefly.add(lock.getOrderId());
            return MarketPayOrderEntity.builder()
                    .orderId(lock.getOrderId() + "-briefly")
                    .build();
        };
        Function<LockOrderAggregate, MarketPayOrderEntity> notAlone = lock -> {
            throw new AssertionError("written alone with the full bound: " + lock.getOrderId());
        };
        Future<MarketPayOrderEntity> a =
                callers.submit(() -> groupCommit.lock(lock("o-a"), notAlone, writeAloneBriefly));
        Future<MarketPayOrderEntity> b =
                callers.submit(() -> groupCommit.lock(lock("o-b"), notAlone, writeAloneBriefly));

        assertThat(a.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-a-briefly");
        assertThat(b.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-b-briefly");
        assertThat(briefly).containsExactlyInAnyOrder("o-a", "o-b");
    }

    /**
     * A batch whose connection was lost before its commit (the socket timeout, Connector/J's communications failure,
     * SQLState 08S01) wrote nothing and its callers have waited for the cut: each is answered the database's outage at
     * once (E0401), none written alone to wait for a second cut.
     */
    @Test
    void aBatchCutBeforeItsCommitAnswersEveryCallerTheOutageAtOnce() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        groupCommit = new LockGroupCommit(writer, 64, Duration.ofMillis(200), meters);
        writer.failure = new IllegalStateException(new SQLException("Communications link failure", "08S01", 0));
        Future<MarketPayOrderEntity> a = submit("o-a");
        Future<MarketPayOrderEntity> b = submit("o-b");

        for (Future<MarketPayOrderEntity> answer : List.of(a, b)) {
            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                    .cause()
                    .isExactlyInstanceOf(DependencyUnavailableException.class)
                    .hasRootCauseInstanceOf(SQLException.class);
        }
        assertThat(meters.get("gbm.lock.group.commit.fallbacks").counter().count())
                .as("a batch failed")
                .isEqualTo(1);
        assertThat(meters.get("gbm.lock.group.commit.cuts").counter().count())
                .as("and cut")
                .isEqualTo(1);
    }

    /**
     * Not a cut before the commit: a row's failure (a constraint, SQLState 23000), and a commit that failed whose read
     * back found nothing ({@link UnknownCommits}: the database answered it, the lock is written again alone).
     */
    @Test
    void aRowsFailureOrACommitReadBackAsNotWrittenSendsEveryCallerToWriteAlone() throws Exception {
        for (RuntimeException failure : List.of(
                new IllegalStateException(new SQLException("Duplicate entry", "23000", 1062)),
                new DependencyUnavailableException(
                        "database",
                        "commit failed, nothing written",
                        new SQLException("Communications link failure", "08S01", 0)))) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            groupCommit = new LockGroupCommit(writer, 64, Duration.ofMillis(200), meters);
            writer.failure = failure;
            Function<LockOrderAggregate, MarketPayOrderEntity> writeAlone = l -> MarketPayOrderEntity.builder()
                    .orderId(l.getOrderId() + "-alone")
                    .build();

            assertThat(groupCommit.lock(lock("o-a"), writeAlone, NOT_BRIEFLY).getOrderId())
                    .as("after %s", failure)
                    .isEqualTo("o-a-alone");
            assertThat(meters.get("gbm.lock.group.commit.fallbacks").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("gbm.lock.group.commit.cuts").counter().count())
                    .as("no cut: the write alone answers")
                    .isZero();
            groupCommit.close();
        }
    }

    @Test
    void queuedLocksAreWrittenOnCloseAndLaterOnesAlone() throws Exception {
        groupCommit = new LockGroupCommit(writer, 64, Duration.ZERO, new SimpleMeterRegistry());
        writer.gate = new CountDownLatch(1);
        Future<MarketPayOrderEntity> first = submit("o-first");
        writer.entered.await(5, TimeUnit.SECONDS);
        Future<MarketPayOrderEntity> queued = submit("o-queued");
        awaitQueued(1);
        Future<?> closing = callers.submit(() -> {
            groupCommit.close();
            return null;
        });
        writer.gate.countDown();
        closing.get(5, TimeUnit.SECONDS);

        assertThat(first.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-first");
        assertThat(queued.get(5, TimeUnit.SECONDS).getOrderId()).isEqualTo("o-queued");
        assertThat(groupCommit
                        .lock(
                                lock("o-late"),
                                l -> MarketPayOrderEntity.builder()
                                        .orderId("alone")
                                        .build(),
                                NOT_BRIEFLY)
                        .getOrderId())
                .isEqualTo("alone");
    }

    private Future<MarketPayOrderEntity> submit(String orderId) {
        return callers.submit(() -> groupCommit.lock(
                lock(orderId),
                l -> {
                    throw new AssertionError("written alone: " + orderId);
                },
                NOT_BRIEFLY));
    }

    /** Waits until this many callers wait in the queue (the writer is held at its gate). */
    private void awaitQueued(int callers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (groupCommit.queued() < callers && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(groupCommit.queued()).isEqualTo(callers);
    }

    private static LockOrderAggregate lock(String orderId) {
        return LockOrderAggregate.builder().orderId(orderId).teamId("t").build();
    }

    /** Writes nothing: answers each lock with its order id, or E0005 for "full-" ones, or fails the whole batch. */
    private static final class ScriptedWriter extends LockBatchWriter {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile RuntimeException failure;

        ScriptedWriter() {
            super(null, null, null, null, null);
        }

        @Override
        public List<LockOutcome> write(List<LockOrderAggregate> locks, Runnable statementsWritten) {
            return write(locks); // the hand-over left to the group commit, once the write returned
        }

        @Override
        public List<LockOutcome> write(List<LockOrderAggregate> locks) {
            entered.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sizes.add(locks.size());
            if (failure != null) {
                throw failure;
            }
            return locks.stream()
                    .map(l -> l.getOrderId().startsWith("full")
                            ? LockOutcome.refused(ResponseCode.E0005)
                            : LockOutcome.written(MarketPayOrderEntity.builder()
                                    .orderId(l.getOrderId())
                                    .build()))
                    .toList();
        }
    }
}
