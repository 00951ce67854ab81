package com.groupbuy.market.types.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The lock-time check of a partner's notifyUrl host ({@link NotifyUrlPolicy#addressRefusal}), bounded. The partner
 * names the host, so it runs the name server that answers for it and may answer slowly or never; the system resolver
 * cannot be interrupted. So a name is looked up on a small pool of resolver threads ({@code threads}, no queue) and
 * waited for at most {@code timeout} on the request thread:
 * <ul>
 *   <li>one lookup per host at a time: requests naming a host being looked up wait for that lookup, until its own
 *       deadline (its start plus {@code timeout}), never a new one's; past it they are refused at once while it runs
 *       on — a silent name costs one resolver thread however often it is sent;</li>
 *   <li>each answer (addresses allowed, refused, or no such host) is kept {@code ttl} (failures
 *       {@code failureTtl}) for at most {@code maxHosts} hosts: a host seen recently needs no resolver thread;</li>
 *   <li>no free resolver thread: the request is refused ("busy, try again"), unless the host had an allowed answer
 *       before, which is then used while a fresh lookup waits for a thread or runs (the delivery checks the
 *       addresses again when it connects, {@code PublicOnlyDns}). Hosts partners use stay served while silent names
 *       hold every resolver thread; only a host never seen (or not for {@code ttl}) is refused meanwhile;</li>
 *   <li>an address written as such (IPv4 dotted quad, bracketed IPv6) is checked at once, nothing to resolve.</li>
 * </ul>
 * Refusals are returned as the text of an {@code E0204}; null means the host may be called back.
 */
public final class NotifyHostLookup {

    public static final String TIMED_OUT = "notifyUrl host did not resolve in time";
    public static final String BUSY = "notifyUrl host lookups are busy, try again";
    public static final String UNKNOWN = "notifyUrl host does not resolve";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** The name lookup the policy is applied to: the system's, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final NotifyUrlPolicy policy;
    private final Resolver resolver;
    private final long timeoutNanos;
    private final long ttlNanos;
    private final long failureTtlNanos;
    private final int maxHosts;
    private final LongSupplier nanoTime;
    private final int threads;
    private final Semaphore slots;
    private final ThreadPoolExecutor pool;
    private final Map<String, Entry> hosts = new ConcurrentHashMap<>();

    public NotifyHostLookup(
            NotifyUrlPolicy policy, Duration timeout, int threads, int maxHosts, Duration ttl, Duration failureTtl) {
        this(policy, InetAddress::getAllByName, timeout, threads, maxHosts, ttl, failureTtl, System::nanoTime);
    }

    public NotifyHostLookup(
            NotifyUrlPolicy policy,
            Resolver resolver,
            Duration timeout,
            int threads,
            int maxHosts,
            Duration ttl,
            Duration failureTtl,
            LongSupplier nanoTime) {
        if (timeout.isNegative() || timeout.isZero() || ttl.isNegative() || failureTtl.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, ttl and failureTtl not negative");
        }
        if (threads < 1 || maxHosts < 1) {
            throw new IllegalArgumentException("threads and maxHosts must be at least 1");
        }
        this.policy = policy;
        this.resolver = resolver;
        this.timeoutNanos = timeout.toNanos();
        this.ttlNanos = ttl.toNanos();
        this.failureTtlNanos = failureTtl.toNanos();
        this.maxHosts = maxHosts;
        this.nanoTime = nanoTime;
        int pool = POOLS.incrementAndGet();
        AtomicInteger numbers = new AtomicInteger();
        // A lookup starts only with one of the slots, freed when it ends: at most `threads` lookups admitted, run by
        // at most `threads` threads (the queue holds only a lookup admitted while a thread finishes its last one).
        // Idle threads end after a minute.
        this.threads = threads;
        this.slots = new Semaphore(threads);
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "notify-lock-dns-" + pool + "-" + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Null when the host resolves, within the bound, to addresses the policy allows; else the E0204 text. */
    public String refusal(String host) {
        if (isAddress(host)) {
            try {
                return policy.addressRefusal(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                return UNKNOWN;
            }
        }
        String key = host.toLowerCase(Locale.ROOT);
        long now = nanoTime.getAsLong();
        Entry known = hosts.get(key);
        if (known != null && known.answers(now)) {
            known.hits.incrementAndGet();
            return known.answer.getNow(null).refusal;
        }
        Entry[] started = new Entry[1];
        Entry current = hosts.compute(key, (k, cur) -> {
            if (cur != null && (cur.pending() || cur.answers(now))) {
                return cur; // another request started it (or finished it) meanwhile
            }
            Entry next = new Entry(now + timeoutNanos, cur != null && cur.allowed());
            if (!slots.tryAcquire()) {
                return cur;
            }
            pool.execute(() -> {
                Answer answer = new Answer(UNKNOWN, failureTtlNanos);
                try {
                    answer = resolve(k);
                } finally {
                    // The slot is free before any waiter learns the answer.
                    slots.release();
                    next.finish(answer, nanoTime.getAsLong());
                }
            });
            started[0] = next;
            return next;
        });
        if (started[0] != null && hosts.size() > maxHosts) {
            evict(now);
        }
        if (current == null) {
            return BUSY;
        }
        if (!current.pending() && !current.answers(now)) {
            // No thread for a fresh lookup: an earlier allowed answer is used (delivery checks again), else refused.
            return current.allowed() ? null : BUSY;
        }
        if (current.pending() && current.allowedBefore) {
            return null;
        }
        return await(current, now);
    }

    /** Hosts with an answer or a lookup kept (for tests and metrics). */
    public int size() {
        return hosts.size();
    }

    /** Lookups admitted and not yet ended. */
    public int lookupsRunning() {
        return threads - slots.availablePermits();
    }

    private String await(Entry entry, long now) {
        long left = entry.deadline - now;
        if (left <= 0) {
            return TIMED_OUT;
        }
        try {
            return entry.answer.get(left, TimeUnit.NANOSECONDS).refusal;
        } catch (TimeoutException e) {
            return TIMED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TIMED_OUT;
        } catch (ExecutionException e) {
            return UNKNOWN;
        }
    }

    private Answer resolve(String host) {
        try {
            String refusal = policy.addressRefusal(resolver.resolve(host));
            return new Answer(refusal, refusal == null ? ttlNanos : failureTtlNanos);
        } catch (UnknownHostException | RuntimeException e) {
            return new Answer(UNKNOWN, failureTtlNanos);
        }
    }

    /**
     * Over {@code maxHosts}: a tenth of the bound is dropped, in this order — expired answers, refusals, allowed
     * answers never asked for again, then any other answer. Lookups still running are kept (at most {@code threads}).
     */
    private void evict(long now) {
        int excess = hosts.size() - maxHosts + Math.max(1, maxHosts / 10);
        List<List<String>> ranks = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        hosts.forEach((host, entry) -> {
            if (entry.pending()) {
                return;
            }
            int rank = !entry.answers(now) ? 0 : !entry.allowed() ? 1 : entry.hits.get() == 0 ? 2 : 3;
            ranks.get(rank).add(host);
        });
        for (List<String> rank : ranks) {
            for (String host : rank) {
                if (excess <= 0) {
                    return;
                }
                Entry entry = hosts.get(host);
                if (entry != null && !entry.pending() && hosts.remove(host, entry)) {
                    excess--;
                }
            }
        }
    }

    /** An IPv4 dotted quad or a bracketed IPv6 address: the JDK parses these without asking a name server. */
    static boolean isAddress(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return true;
        }
        var quad = IPV4.matcher(host);
        if (!quad.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(quad.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The outcome of a lookup: the refusal (null: allowed) and how long it is kept. */
    private record Answer(String refusal, long keepNanos) {}

    /** One host: its lookup (pending or finished) and when its answer stops being used. */
    private static final class Entry {

        final long deadline;
        /** The host had an allowed answer before this lookup: used while this one waits or runs. */
        final boolean allowedBefore;

        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        final AtomicInteger hits = new AtomicInteger();
        volatile long expires;

        Entry(long deadline, boolean allowedBefore) {
            this.deadline = deadline;
            this.allowedBefore = allowedBefore;
        }

        void finish(Answer outcome, long now) {
            expires = now + outcome.keepNanos;
            answer.complete(outcome);
        }

        boolean pending() {
            return !answer.isDone();
        }

        boolean answers(long now) {
            return answer.isDone() && now - expires < 0;
        }

        boolean allowed() {
            Answer done = answer.getNow(null);
            return done != null && done.refusal == null;
        }
    }
}
