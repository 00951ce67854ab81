package com.groupbuy.market.types.net;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs name lookups on a bounded pool and waits for them a bounded time: the one place the rule lives for every
 * lookup of a name a partner chose (whose name server the partner runs, and which may answer slowly or never; the
 * system resolver cannot be interrupted). Used at lock time ({@link NotifyHostLookup}) and at delivery time
 * ({@code PublicOnlyDns}), each with its own pool, so a flood at one never takes the other's threads.
 * <ul>
 *   <li>at most {@code threads} lookups run at once, no queue: with none free a new lookup is refused
 *       ({@link Status#BUSY});</li>
 *   <li>one lookup per name at a time: a caller naming a name being looked up joins that lookup and waits until its
 *       deadline (its start plus {@code timeout}), never a new one's; past it the caller is answered
 *       {@link Status#TIMED_OUT} at once while the lookup runs on — a silent name costs one thread however often it
 *       is asked for;</li>
 *   <li>at most {@code maxPerOwner} running lookups started by one owner (a partner): one owner's silent names leave
 *       the rest of the pool to others; joining a running lookup costs nothing and is always allowed. A null owner
 *       is not capped.</li>
 * </ul>
 * The lookup's work ({@code lookup}) runs on a pool thread and ends when it ends, whoever still waits; its thread is
 * free before any waiter learns the answer.
 *
 * @param <T> what a lookup answers (addresses, or what the caller makes of them)
 */
public final class ResolverPool<T> {

    /** The work of one lookup: the system's name lookup, a test's, or either with the caller's check after it. */
    @FunctionalInterface
    public interface Lookup<T> {
        T lookup(String name) throws Exception;
    }

    /** How a wait ended. */
    public enum Status {
        ANSWERED,
        FAILED,
        TIMED_OUT,
        BUSY
    }

    /** A wait's outcome: the lookup's value, the exception it threw, or that it did not end in time or could not start. */
    public record Result<T>(Status status, T value, Throwable failure) {

        static <T> Result<T> of(Status status) {
            return new Result<>(status, null, null);
        }
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Lookup<T> lookup;
    private final long timeoutNanos;
    private final int threads;
    private final int maxPerOwner;
    private final LongSupplier nanoTime;
    private final ThreadPoolExecutor pool;
    /** Running lookups by name, and how many each owner started; guarded by {@code this}. */
    private final Map<String, Pending<T>> running = new HashMap<>();

    private final Map<Object, Integer> perOwner = new HashMap<>();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final AtomicLong refusedOwnerBusy = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    public ResolverPool(
            String threadName,
            int threads,
            int maxPerOwner,
            Duration timeout,
            Lookup<T> lookup,
            LongSupplier nanoTime) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (threads < 1 || maxPerOwner < 1) {
            throw new IllegalArgumentException("threads and maxPerOwner must be at least 1");
        }
        this.lookup = lookup;
        this.timeoutNanos = timeout.toNanos();
        this.threads = threads;
        this.maxPerOwner = maxPerOwner;
        this.nanoTime = nanoTime;
        int number = POOLS.incrementAndGet();
        AtomicInteger numbers = new AtomicInteger();
        // A lookup is handed to the pool only while fewer than `threads` run (counted under the lock, freed when one
        // ends): at most `threads` threads, the queue holding only a lookup admitted while a thread finishes its last.
        // Idle threads end after a minute.
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, threadName + "-" + number + "-" + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * The running lookup of {@code name}, joined, or a new one started for {@code owner}; null when none can start
     * (no free thread, or the owner's share in use: counted as refused busy).
     */
    public Pending<T> start(String name, Object owner) {
        Pending<T> started;
        synchronized (this) {
            Pending<T> current = running.get(name);
            if (current != null) {
                return current;
            }
            if (running.size() >= threads) {
                refusedBusy.incrementAndGet();
                return null;
            }
            if (owner != null && perOwner.getOrDefault(owner, 0) >= maxPerOwner) {
                refusedBusy.incrementAndGet();
                refusedOwnerBusy.incrementAndGet();
                return null;
            }
            started = new Pending<>(name, owner, nanoTime.getAsLong() + timeoutNanos);
            running.put(name, started);
            if (owner != null) {
                perOwner.merge(owner, 1, Integer::sum);
            }
        }
        pool.execute(() -> run(started));
        return started;
    }

    /** Starts or joins the lookup of {@code name} and waits for it until its deadline. */
    public Result<T> lookup(String name, Object owner) {
        Pending<T> pending = start(name, owner);
        return pending == null ? Result.of(Status.BUSY) : await(pending);
    }

    /** Waits for a lookup until its deadline (not at all past it, unless it has ended). */
    public Result<T> await(Pending<T> pending) {
        if (!pending.answer.isDone()) {
            long left = pending.deadline - nanoTime.getAsLong();
            if (left <= 0) {
                timedOut.incrementAndGet();
                return Result.of(Status.TIMED_OUT);
            }
            try {
                pending.answer.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                timedOut.incrementAndGet();
                return Result.of(Status.TIMED_OUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.of(Status.TIMED_OUT);
            } catch (ExecutionException e) {
                // answered below
            }
        }
        return pending.answer.getNow(null);
    }

    /** Lookups running now (their threads held). */
    public synchronized int running() {
        return running.size();
    }

    /** Lookups that could not start (no free thread, or the owner's share in use), since the start. */
    public long refusedBusy() {
        return refusedBusy.get();
    }

    /** Of {@link #refusedBusy()}, those refused because the owner's share was in use while threads were free. */
    public long refusedOwnerBusy() {
        return refusedOwnerBusy.get();
    }

    /** Waits that ended at the deadline with the lookup still running, since the start. */
    public long timedOut() {
        return timedOut.get();
    }

    private void run(Pending<T> pending) {
        Result<T> result = Result.of(Status.FAILED);
        try {
            result = new Result<>(Status.ANSWERED, lookup.lookup(pending.name), null);
        } catch (Throwable e) {
            result = new Result<>(Status.FAILED, null, e);
        } finally {
            // The thread is free before any waiter learns the answer.
            synchronized (this) {
                running.remove(pending.name, pending);
                if (pending.owner != null) {
                    perOwner.computeIfPresent(pending.owner, (o, n) -> n <= 1 ? null : n - 1);
                }
            }
            pending.answer.complete(result);
        }
    }

    /** One running (or ended) lookup: its name, who started it, its deadline and its outcome. */
    public static final class Pending<T> {

        final String name;
        final Object owner;
        final long deadline;
        final CompletableFuture<Result<T>> answer = new CompletableFuture<>();

        Pending(String name, Object owner, long deadline) {
            this.name = name;
            this.owner = owner;
            this.deadline = deadline;
        }

        /** The lookup has ended (answered or failed). */
        public boolean isDone() {
            return answer.isDone();
        }
    }
}
