package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.types.exception.AppException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import lombok.extern.slf4j.Slf4j;

/**
 * Group commit of locks (#19): concurrent locks, of any teams, are written in one transaction by one writer thread,
 * so a commit (the database's log flush) and the statements' round trips are paid once per batch, not once per lock.
 * The writer takes whatever queued while it wrote the previous batch (up to {@code maxBatch}), so an idle service
 * writes a lone lock at once; {@code maxWait} above zero also waits that long for more. Each caller is answered only
 * after its rows committed, with its own outcome; a batch that cannot be written is rolled back and each of its
 * callers writes its lock alone, exactly as with group commit off, so one failing row never fails its neighbours
 * and every error keeps today's code. A caller never gives up waiting: the domain gives a place back only after the
 * write's outcome is known.
 */
@Slf4j
public class LockGroupCommit implements AutoCloseable {

    /** Queued by {@link #close()}: the writer writes what queued before it, then ends. */
    private static final Pending STOP = new Pending(null);

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final LockBatchWriter writer;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final DistributionSummary batchSizes;
    private final Counter fallbacks;
    /** Guarded by this: nothing is queued after {@link #STOP}, so no caller waits for a writer that has ended. */
    private boolean closed;

    public LockGroupCommit(LockBatchWriter writer, int maxBatch, Duration maxWait, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one lock, not " + maxBatch);
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = DistributionSummary.builder("gbm.lock.group.commit.batch")
                .description("locks written in one transaction by group commit")
                .register(meters);
        this.fallbacks = Counter.builder("gbm.lock.group.commit.fallbacks")
                .description("batches rolled back whose locks were then written one by one")
                .register(meters);
        this.thread = new Thread(this::run, "lock-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The lock written with whatever other locks are waiting, once committed; {@code alone} writes it in a transaction
     * of its own when its batch could not be written (or the writer has stopped), and its answer is the caller's.
     */
    public MarketPayOrderEntity lock(
            LockOrderAggregate lock, Function<LockOrderAggregate, MarketPayOrderEntity> alone) {
        Pending pending = new Pending(lock);
        if (!enqueue(pending)) {
            return alone.apply(lock);
        }
        LockOutcome outcome = pending.answer.join();
        if (outcome.order() != null) {
            return outcome.order();
        }
        if (outcome.refusal() != null) {
            throw new AppException(outcome.refusal());
        }
        return alone.apply(lock);
    }

    /** Locks waiting for the writer (not those of the batch being written). */
    int queued() {
        return queue.size();
    }

    private synchronized boolean enqueue(Pending pending) {
        if (closed) {
            return false;
        }
        queue.add(pending);
        return true;
    }

    /** Writes what has queued, then stops; later locks are written alone. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        thread.join(CLOSE_WAIT.toMillis());
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            Pending first = take();
            if (first == STOP) {
                return;
            }
            batch.add(first);
            stopping = gather(batch);
            write(batch);
            batch.clear();
        }
    }

    /** Adds what queued meanwhile (and within the window, if any) up to the batch size; true when it met the stop. */
    private boolean gather(List<Pending> batch) {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Pending next = queue.poll();
            if (next == null && maxWaitNanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                next = poll(left);
            }
            if (next == null) {
                return false;
            }
            if (next == STOP) {
                return true;
            }
            batch.add(next);
        }
        return false;
    }

    private void write(List<Pending> batch) {
        batchSizes.record(batch.size());
        List<LockOutcome> outcomes;
        try {
            outcomes = writer.write(batch.stream().map(Pending::lock).toList());
        } catch (Throwable e) { // whatever it was, every caller must be answered or it waits forever
            fallbacks.increment();
            log.info("lock batch of {} rolled back, each lock written alone: {}", batch.size(), e.toString());
            batch.forEach(p -> p.answer.complete(LockOutcome.ALONE));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer.complete(outcomes.get(i));
        }
    }

    /** The writer thread is never interrupted on purpose (it would cut its JDBC connection); an interrupt is ignored. */
    private Pending take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // keep serving: callers are waiting
            }
        }
    }

    private Pending poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null;
        }
    }

    private record Pending(LockOrderAggregate lock, CompletableFuture<LockOutcome> answer) {
        Pending(LockOrderAggregate lock) {
            this(lock, new CompletableFuture<>());
        }
    }
}
