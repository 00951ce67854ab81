package com.groupbuy.market.infrastructure.trade.repository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import lombok.extern.slf4j.Slf4j;

/**
 * Group commit (#19): writes submitted concurrently, by any callers, are written by one writer thread in one
 * transaction per batch, so a commit (the database's log flush) and the transaction's control statements are paid once
 * per batch, not once per write. The writer takes whatever queued while it wrote the previous batch (up to {@code
 * maxBatch}), so an idle service writes a lone write at once; {@code maxWait} above zero also waits that long for more.
 * Each caller is answered only after its batch committed, with its own outcome (which may be a guard's refusal: the
 * batch writer answers that one caller and goes on); a batch that cannot be written as a whole is rolled back by its
 * writer and every caller of it is answered "write alone" (empty), so one failing row never fails its neighbours, or
 * what its group answers for that failure ({@link #failed}: a lost connection is answered as the outage at once).
 * A caller never gives up waiting: what it does next (give a place back, answer the partner) depends on the outcome.
 * Used by locks ({@link LockGroupCommit}) and settlements ({@link SettlementRepository}).
 *
 * @param <I> what one caller writes
 * @param <O> its outcome, one per write, in the order given to the batch writer
 */
@Slf4j
public class GroupCommit<I, O> implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /** Queued by {@link #close()}: the writer writes what queued before it, then ends. */
    private final Pending<I, O> stop = new Pending<>(null, 0);

    private final String name;
    private final String what;
    private final BatchWriter<I, O> writer;
    /** Whether a batch of one is handed back to be written alone (no fallback: the write alone is the cheaper one). */
    private final boolean loneWritesAlone;

    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads;
    /**
     * The turn to gather and write a batch's statements: held by one writer thread at a time, and handed over when its
     * statements are written and only its commit is left, so with two writers the next batch's statements overlap the
     * previous batch's commit (pipelining); with one writer it is always free when that writer takes it.
     */
    private final Semaphore turn = new Semaphore(1);

    private final DistributionSummary batchSizes;
    private final Counter fallbacks;
    /** The failed batches among {@link #fallbacks} cut before their commit, whose callers were answered an outage. */
    private final Counter cuts;
    /** Batches the writer has finished (written or rolled back): how many a write waited behind (JFR events). */
    private final AtomicLong finished = new AtomicLong();
    /** Guarded by this: nothing is queued after {@link #stop}, so no caller waits for a writer that has ended. */
    private boolean closed;

    /**
     * @param name names the thread ({@code <name>-group-commit}) and the meters ({@code gbm.<name>.group.commit.batch},
     *     {@code ….fallbacks}, {@code ….cuts})
     * @param what what one write is, plural, for the meters' descriptions and the log ("locks", "settlements")
     * @param writer writes a batch in one transaction: one outcome per write in the order given, once committed; throws
     *     (everything rolled back) when the batch cannot be written as a whole
     * @param loneWritesAlone a batch of one write is not given to {@code writer}: its caller writes it alone (a
     *     settlement alone may need no transaction at all, which a batch always opens)
     */
    public GroupCommit(
            String name,
            String what,
            Function<List<I>, List<O>> writer,
            boolean loneWritesAlone,
            int maxBatch,
            Duration maxWait,
            MeterRegistry meters) {
        this(
                name,
                what,
                (writes, statementsWritten) -> writer.apply(writes),
                loneWritesAlone,
                maxBatch,
                maxWait,
                1,
                meters);
    }

    /**
     * @param writer as above, and it calls {@code statementsWritten} once only its commit is left (or never: the turn
     *     is handed over when it returns)
     * @param writers writer threads: 1, or 2 to pipeline (a batch's statements while the batch before it commits)
     */
    public GroupCommit(
            String name,
            String what,
            BatchWriter<I, O> writer,
            boolean loneWritesAlone,
            int maxBatch,
            Duration maxWait,
            int writers,
            MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one write, not " + maxBatch);
        }
        if (writers < 1 || writers > 2) {
            throw new IllegalArgumentException("one writer, or two to pipeline, not " + writers);
        }
        this.name = name;
        this.what = what;
        this.writer = writer;
        this.loneWritesAlone = loneWritesAlone;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = DistributionSummary.builder("gbm." + name + ".group.commit.batch")
                .description(what + " written in one transaction by group commit")
                .register(meters);
        this.fallbacks = Counter.builder("gbm." + name + ".group.commit.fallbacks")
                .description("batches that failed whole (rolled back, or their commit's outcome unknown): their " + what
                        + " were then written one by one, or answered at once (a connection cut: gbm." + name
                        + ".group.commit.cuts)")
                .register(meters);
        this.cuts = Counter.builder("gbm." + name + ".group.commit.cuts")
                .description("failed batches cut before their commit (the database connection lost): nothing of them"
                        + " written, their " + what + " answered E0401, not written one by one")
                .register(meters);
        List<Thread> started = new ArrayList<>(writers);
        for (int i = 0; i < writers; i++) {
            Thread thread = new Thread(this::run, name + "-group-commit" + (i == 0 ? "" : "-" + (i + 1)));
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        this.threads = List.copyOf(started);
        log.info(
                "group commit of {} on: at most {} a transaction, window {}, {} writer(s)",
                what,
                maxBatch,
                maxWait,
                writers);
    }

    /**
     * The write's outcome once its batch committed; empty when the batch could not be written (rolled back), the
     * writer has stopped, or (with {@code loneWritesAlone}) nothing else was written with it: the caller then writes
     * alone, as with group commit off.
     */
    public Optional<O> submit(I write) {
        Pending<I, O> pending = new Pending<>(write, finished.get());
        if (!enqueue(pending)) {
            return Optional.empty();
        }
        O outcome = pending.answer.join();
        record(pending);
        return Optional.ofNullable(outcome);
    }

    /** The write's wait as a flight-recorder event, when a recording takes it (free otherwise). */
    private void record(Pending<I, O> pending) {
        GroupCommitEvents.Write event = new GroupCommitEvents.Write();
        if (!event.isEnabled() || pending.started == 0) {
            return;
        }
        event.group = name;
        event.batchSize = pending.batchSize;
        event.batchesAhead = (int) (pending.finishedBeforeItsBatch - pending.finishedOnArrival);
        event.queued = pending.started - pending.arrived;
        event.writing = pending.committed - pending.started;
        event.woken = System.nanoTime() - pending.committed;
        event.commit();
    }

    /** Writes waiting for the writer (not those of the batch being written). */
    int queued() {
        return queue.size();
    }

    private synchronized boolean enqueue(Pending<I, O> pending) {
        if (closed) {
            return false;
        }
        queue.add(pending);
        return true;
    }

    /** Writes what has queued, then stops; later writes are written alone. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(stop);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    private void run() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            turn.acquireUninterruptibly();
            HandOver handOver = new HandOver();
            try {
                long idleFrom = System.nanoTime();
                Pending<I, O> first = take();
                if (first == stop) {
                    queue.add(stop); // for the other writer, if any
                    return;
                }
                batch.add(first);
                stopping = gather(batch);
                write(batch, Math.max(0, first.arrived - idleFrom), handOver); // idle: waited for the first
                batch.clear();
            } finally {
                handOver.run();
            }
        }
    }

    /** Hands the turn over once, when the batch's statements are written or its writing ended, whichever first. */
    private final class HandOver implements Runnable {
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                turn.release();
            }
        }
    }

    /** Adds what queued meanwhile (and within the window, if any) up to the batch size; true when it met the stop. */
    private boolean gather(List<Pending<I, O>> batch) {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Pending<I, O> next = queue.poll();
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
            if (next == stop) {
                queue.add(stop); // for the other writer, if any
                return true;
            }
            batch.add(next);
        }
        return false;
    }

    private void write(List<Pending<I, O>> batch, long idleBefore, Runnable statementsWritten) {
        batchSizes.record(batch.size());
        long started = System.nanoTime();
        for (Pending<I, O> pending : batch) {
            pending.started = started;
            pending.batchSize = batch.size();
            pending.finishedBeforeItsBatch = finished.get();
        }
        if (loneWritesAlone && batch.size() == 1) {
            finished.incrementAndGet(); // before any caller of the batch is answered
            answer(batch.get(0), null);
            return;
        }
        GroupCommitEvents.Batch event = new GroupCommitEvents.Batch();
        event.begin();
        List<O> outcomes;
        try {
            outcomes = writer.write(batch.stream().map(Pending::write).toList(), statementsWritten);
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException(batch.size() + " written but " + outcomes.size() + " outcomes");
            }
        } catch (Throwable e) { // whatever it was, every caller must be answered or it waits forever
            fallbacks.increment();
            log.info("{} batch of {} rolled back: {}", what, batch.size(), e.toString());
            event.end();
            long written = System.nanoTime();
            finished.incrementAndGet();
            O instead = failed(e);
            if (instead != null && UnknownCommits.cutBeforeCommit(e)) {
                cuts.increment();
            }
            batch.forEach(p -> answer(p, instead));
            O behind = failedBehind(e);
            if (behind != null) {
                answerQueued(behind);
            }
            recordBatch(event, batch.size(), idleBefore, System.nanoTime() - written, true);
            return;
        }
        event.end();
        long written = System.nanoTime();
        finished.incrementAndGet();
        for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), outcomes.get(i));
        }
        recordBatch(event, batch.size(), idleBefore, System.nanoTime() - written, false);
    }

    /**
     * The writes that queued while the failed batch was written are answered as its callers were: they waited behind
     * it, and written as a batch they could wait as long again on the row it waited for. Only those: a write that
     * arrives while they are being answered did not wait behind the batch, and is written as usual.
     */
    private void answerQueued(O instead) {
        for (int behind = queue.size(); behind > 0; behind--) {
            Pending<I, O> next = queue.poll();
            if (next == null) {
                return; // the other writer took them
            }
            if (next == stop) {
                queue.add(stop); // for this writer's loop, and the other writer, if any
                return;
            }
            answer(next, instead);
        }
    }

    /**
     * What every caller of a batch that failed with {@code e} (rolled back) is answered: by default null, each writes
     * alone; a group may answer otherwise (settlements: a batch that waited its statement bound), and then the writes
     * queued behind the batch are answered the same at once.
     */
    protected O failed(Throwable e) {
        return null;
    }

    /**
     * What the writes queued behind a batch that failed with {@code e} are answered at once ({@link #answerQueued}):
     * null, none (each is written as usual); by default as the batch's callers ({@link #failed}).
     */
    protected O failedBehind(Throwable e) {
        return failed(e);
    }

    private void recordBatch(
            GroupCommitEvents.Batch event, int size, long idleBefore, long answering, boolean rolledBack) {
        if (event.shouldCommit()) {
            event.group = name;
            event.size = size;
            event.idleBefore = idleBefore;
            event.rolledBack = rolledBack;
            event.answering = answering;
            event.commit();
        }
    }

    private static <I, O> void answer(Pending<I, O> pending, O outcome) {
        pending.committed = System.nanoTime();
        pending.answer.complete(outcome);
    }

    /** The writer thread is never interrupted on purpose (it would cut its JDBC connection); an interrupt is ignored. */
    private Pending<I, O> take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // keep serving: callers are waiting
            }
        }
    }

    private Pending<I, O> poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null;
        }
    }

    /** Writes a batch in one transaction (see the constructor). */
    @FunctionalInterface
    public interface BatchWriter<I, O> {
        List<O> write(List<I> writes, Runnable statementsWritten);
    }

    /**
     * A write and its answer: its outcome, or null for "write it alone". The times (System.nanoTime) and counts are for
     * the flight recorder: set by the writer before it completes the answer, read by the caller after it.
     */
    private static final class Pending<I, O> {
        private final I write;
        private final CompletableFuture<O> answer = new CompletableFuture<>();
        private final long arrived = System.nanoTime();
        private final long finishedOnArrival;
        private long finishedBeforeItsBatch;
        private long started;
        private long committed;
        private int batchSize;

        Pending(I write, long finishedOnArrival) {
            this.write = write;
            this.finishedOnArrival = finishedOnArrival;
        }

        I write() {
            return write;
        }
    }
}
