package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyAttemptRecorder;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;

/**
 * Records the after-commit deliveries' outcomes several at a time (#19). Before, every completing settlement's callback
 * recorded its outcome alone: a transaction of its own (SET autocommit, the task's UPDATE, the attempt's INSERT,
 * COMMIT, SET autocommit), about five statements per completing settlement. The dispatch threads still send at once
 * (the partner's call is not delayed), then only queue the outcome here; one thread takes what has queued, waiting
 * up to {@code window} from the first for more and at most {@code page} outcomes, and writes them with the page form
 * of the store ({@code finishAttempts}: one transaction, each outcome under its own task's fencing token; the
 * after-commit callbacks of one instance share one token, so a page of them that moves its tasks alike is even one
 * UPDATE).
 * <p>
 * Nobody waits for the record: the partner was already called. It must still land before the task's lease ends, or
 * the compensation job sends the task again (at least once; the partner deduplicates by webhook-id): the window is
 * bounded by the configuration to a small fraction of the lease ({@code NotifyConfig}). Never dropped: when the queue
 * is full, or the recorder is not running (before start, after stop), an outcome is recorded at once on the caller's
 * thread, as before; a page whose write fails is written again outcome by outcome (the fencing token makes a second
 * write of an outcome that did land a no-op); on stop the queue is written out before the context closes the
 * DataSource.
 */
@Slf4j
public class NotifyAttemptRecorder implements INotifyAttemptRecorder, SmartLifecycle {

    /** How long a stopping recorder waits for its thread to write out the queue. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private static final long IDLE_POLL_MS = 200;

    /** A queued outcome: its own object, so a caller can take back exactly what it queued. */
    /** Queued by {@link #stop()} to wake a loop waiting in its window for more; never written. */
    private static final Pending WAKE = new Pending(null);

    private static final class Pending {
        final NotifyAttemptOutcome outcome;

        Pending(NotifyAttemptOutcome outcome) {
            this.outcome = outcome;
        }
    }

    private final Consumer<List<NotifyAttemptOutcome>> write;
    private final ExecutorService thread;
    private final BlockingQueue<Pending> queue;
    private final long windowNanos;
    private final int page;
    private final Counter writes;
    private final Counter together;
    private final Counter inline;
    private final Counter alone;

    private volatile boolean running;
    private Future<?> loop;

    /**
     * {@code write}: records a list of outcomes in one write and logs them (DueCallbackDeliveryService.recordAttempts);
     * {@code thread}: runs the recorder's one loop from start to stop (one thread, not shared with work that could keep
     * it from starting); {@code bound}: outcomes queued at most; {@code window}: the longest the recorder waits for more
     * after the first of a page; {@code page}: outcomes per write at most.
     */
    public NotifyAttemptRecorder(
            Consumer<List<NotifyAttemptOutcome>> write,
            ExecutorService thread,
            int bound,
            Duration window,
            int page,
            MeterRegistry meters) {
        if (bound < 1 || page < 1 || window.isNegative()) {
            throw new IllegalArgumentException("the recorder needs a bound and a page of at least 1, a window >= 0");
        }
        this.write = write;
        this.thread = thread;
        this.queue = new ArrayBlockingQueue<>(bound);
        this.windowNanos = window.toNanos();
        this.page = page;
        this.writes = Counter.builder("gbm.notify.record.writes")
                .description("writes of queued after-commit outcomes (one transaction each)")
                .register(meters);
        this.together = outcomes(meters, "together");
        this.inline = outcomes(meters, "inline");
        this.alone = outcomes(meters, "alone");
    }

    private static Counter outcomes(MeterRegistry meters, String way) {
        return Counter.builder("gbm.notify.record.outcomes")
                .description("after-commit outcomes recorded: together (a queued page), inline (queue full or "
                        + "recorder stopped), alone (again after its page's write failed)")
                .tag("way", way)
                .register(meters);
    }

    @Override
    public void record(List<NotifyAttemptOutcome> outcomes) {
        List<NotifyAttemptOutcome> now = null;
        for (NotifyAttemptOutcome outcome : outcomes) {
            Pending pending = new Pending(outcome);
            boolean queued = running && queue.offer(pending);
            // Stopped meanwhile: the loop may have written out the queue already; whatever it did not take is ours.
            if (!queued || (!running && queue.remove(pending))) {
                if (now == null) {
                    now = new ArrayList<>(outcomes.size());
                }
                now.add(outcome);
            }
        }
        if (now != null) {
            inline.increment(now.size());
            write.accept(now);
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = thread.submit(this::drain);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        // The loop may be waiting up to its window for more outcomes; woken, it writes what it took at once.
        queue.offer(WAKE);
        try {
            loop.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("notify recorder did not write out its queue ({} outcomes left)", queue.size(), e);
        }
        // Anything the loop left (it should leave nothing): written here, before the DataSource closes.
        writeOut();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped after the web server and the listeners (higher phases), before any bean is destroyed. */
    @Override
    public int getPhase() {
        return 0;
    }

    /** Outcomes waiting to be written (for tests and the operator). */
    public int queued() {
        return queue.size();
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(page);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + windowNanos;
                while (batch.size() < page) {
                    if (queue.drainTo(batch, page - batch.size()) > 0) {
                        if (batch.remove(WAKE)) {
                            break;
                        }
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !running) {
                        break;
                    }
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null || next == WAKE) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                // Shut down under us: stop waiting, but still write what was taken and what is queued.
                running = false;
            }
            if (!batch.isEmpty()) {
                try {
                    writePage(batch);
                } catch (Error e) {
                    // An Error (an OutOfMemoryError under a full heap) ended this loop for good: every later outcome
                    // queued behind it unwritten, and each such callback was sent again, while the service answered
                    // UP. The page is left to its leases' end, as a failed write is; the loop goes on.
                    log.error(
                            "notify outcomes of {} tasks not recorded ({}); the compensation job sends them again once "
                                    + "their leases end",
                            batch.size(),
                            e.toString(),
                            e);
                }
                batch.clear();
            }
        }
    }

    private void writeOut() {
        List<Pending> left = new ArrayList<>();
        while (queue.drainTo(left, page) > 0) {
            left.remove(WAKE);
            if (!left.isEmpty()) {
                writePage(left);
            }
            left.clear();
        }
    }

    /** One write for the page; if it fails (rolled back as a whole), each outcome alone, so none is lost. */
    private void writePage(List<Pending> batch) {
        List<NotifyAttemptOutcome> outcomes = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            outcomes.add(pending.outcome);
        }
        try {
            write.accept(outcomes);
            writes.increment();
            together.increment(outcomes.size());
            return;
        } catch (RuntimeException e) {
            log.warn("notify outcomes of {} tasks not recorded together; recording each alone", outcomes.size(), e);
        }
        for (NotifyAttemptOutcome outcome : outcomes) {
            try {
                write.accept(List.of(outcome));
                alone.increment();
            } catch (RuntimeException e) {
                log.warn(
                        "notify task={} team={} attempt={} delivered={} not recorded; the compensation job sends it "
                                + "again once its lease ends",
                        outcome.task().getId(),
                        outcome.task().getTeamId(),
                        outcome.task().getNotifyCount() + 1,
                        outcome.result().delivered(),
                        e);
            }
        }
    }
}
