package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import com.groupbuy.market.types.net.ResolverPool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.Dns;
import org.jetbrains.annotations.NotNull;

/**
 * Resolves callback hosts and refuses any name that resolves to an address the policy forbids, at delivery time:
 * a URL checked at lock time may point elsewhere by the time the team completes.
 * <p>
 * A lookup is waited for at most {@code timeout} (the connect timeout: resolving is part of connecting). The partner
 * chooses the host name, so it also runs the name server that answers for it, and may answer slowly or never. The
 * system resolver cannot be interrupted and OkHttp's call timeout does not end it: a send to such a name held its
 * delivery thread for the resolver's own timeouts (seconds per name server and attempt), past the send window the
 * compensation run sizes its leases by. So lookups run on a {@link ResolverPool} of their own (not the lock-time
 * one: a flood of locks never takes delivery's threads): at most {@code threads} at once, one per name (a send to a
 * name being looked up waits for that lookup until its deadline, then fails at once while it runs on), the lookup
 * finishing on its resolver thread whoever stopped waiting. A failed lookup (no such host, refused address, did not
 * resolve in time) is the send's failed attempt, as before.
 * <p>
 * But for a lookup that failed on our side ({@link OwnLookupFailure}: not sent, no try used, see {@link
 * OwnSocketFaults}): one that failed while our process was at its descriptor limit (the JDK calls it a name that does
 * not resolve, see {@link OwnDescriptorLimit}), the JDK's negative cache replaying that failure for the same name
 * afterwards, and one refused because every resolver thread of ours holds another name's lookup (other partners'
 * silent name servers filled our capacity; a name whose own lookup is running is joined, never refused, so a partner's
 * slowness stays its own).
 */
public class PublicOnlyDns implements Dns {

    /**
     * Delivery lookups running at once per client. Each delivery thread waits for one lookup at a time (at most the
     * after-commit threads plus the run's lanes times its HTTP concurrency, far fewer), but a silent name's lookup
     * runs on after its sender gave up, until the system resolver does (10 s with glibc's defaults): a bound, not a
     * budget (before it there was none, one thread per such send).
     */
    public static final int THREADS = 256;

    /** Names remembered as failed at our descriptor limit; past it, forgotten all at once (a burst of many names). */
    static final int MAX_REMEMBERED = 1024;

    private final NotifyUrlPolicy policy;
    private final Duration timeout;
    private final ResolverPool<List<InetAddress>> lookups;
    private final Dns resolver;
    private final int threads;
    /** Why our descriptor limit is reached now, or null when it is not. */
    private final Supplier<String> descriptorLimit;
    /** How long the JDK replays a failed lookup of a name without asking again (its negative cache). */
    private final long replayNanos;
    /** Names whose lookup failed at our descriptor limit, with the nano time it did. */
    private final Map<String, Long> failedAtOurLimit = new ConcurrentHashMap<>();

    public PublicOnlyDns(NotifyUrlPolicy policy, Duration timeout) {
        this(policy, Dns.SYSTEM, timeout);
    }

    /** {@code resolver}: the lookup the policy is applied to (the system's, or a test's). */
    public PublicOnlyDns(NotifyUrlPolicy policy, Dns resolver, Duration timeout) {
        this(policy, resolver, timeout, THREADS);
    }

    public PublicOnlyDns(NotifyUrlPolicy policy, Dns resolver, Duration timeout, int threads) {
        this(policy, resolver, timeout, threads, new OwnDescriptorLimit(), JdkNegativeCache.ttl());
    }

    /**
     * {@code descriptorLimit}: why our descriptor limit is reached now, or null; {@code replay}: how long a failed
     * lookup is answered from the JDK's negative cache.
     */
    PublicOnlyDns(
            NotifyUrlPolicy policy,
            Dns resolver,
            Duration timeout,
            int threads,
            Supplier<String> descriptorLimit,
            Duration replay) {
        this.policy = policy;
        this.timeout = timeout;
        this.resolver = resolver;
        this.threads = threads;
        this.descriptorLimit = descriptorLimit;
        this.replayNanos = replay.toNanos();
        this.lookups = new ResolverPool<>("notify-dns", threads, threads, timeout, this::resolveHere, System::nanoTime);
    }

    @NotNull
    @Override
    public List<InetAddress> lookup(@NotNull String hostname) throws UnknownHostException {
        List<InetAddress> addresses = resolve(hostname);
        for (InetAddress address : addresses) {
            if (!policy.isAllowed(address)) {
                throw new UnknownHostException(hostname + " resolves to a refused address " + address.getHostAddress());
            }
        }
        return addresses;
    }

    /** The resolver pool (for its meters). */
    public ResolverPool<?> pool() {
        return lookups;
    }

    private List<InetAddress> resolve(String hostname) throws UnknownHostException {
        // Delivery has no partner here: its share per partner is the guard's cap of deliveries in flight.
        ResolverPool.Result<List<InetAddress>> result = lookups.lookup(hostname, null);
        switch (result.status()) {
            case ANSWERED:
                return result.value();
            case TIMED_OUT:
                throw new UnknownHostException(hostname + " did not resolve within " + timeout.toMillis() + " ms");
            case BUSY:
                // Not this name's own lookup (that one is joined, never refused): other names fill our threads.
                throw new OwnLookupFailure(
                        hostname,
                        "our host lookups are busy: all " + threads
                                + " resolver threads of ours hold another name's lookup",
                        null);
            default:
                if (result.failure() instanceof UnknownHostException unknown) {
                    throw unknown;
                }
                UnknownHostException failed = new UnknownHostException(hostname + ": " + result.failure());
                failed.initCause(result.failure());
                throw failed;
        }
    }

    /**
     * The resolver's lookup, on a resolver thread, its failure told ours right there: the descriptors are counted at
     * the moment it failed.
     */
    private List<InetAddress> resolveHere(String hostname) throws UnknownHostException {
        try {
            List<InetAddress> addresses = resolver.lookup(hostname);
            failedAtOurLimit.remove(hostname);
            return addresses;
        } catch (UnknownHostException e) {
            String ours = ownFailure(hostname);
            if (ours != null) {
                throw new OwnLookupFailure(hostname, ours, e);
            }
            throw e;
        }
    }

    /** Why a failed lookup of {@code hostname} is ours, or null when it is the partner's. */
    private String ownFailure(String hostname) {
        long now = System.nanoTime();
        String limit = descriptorLimit.get();
        if (limit != null) {
            if (failedAtOurLimit.size() >= MAX_REMEMBERED) {
                failedAtOurLimit.clear();
            }
            failedAtOurLimit.put(hostname, now);
            return "our process is out of file descriptors: the name lookup could not read the hosts file or reach the"
                    + " name server (" + limit + ")";
        }
        // The JDK's negative cache answers the failure it kept, without asking again, until it expires: a failure at
        // our limit replayed, not the partner's (not renewed by the replay: past it the name is asked again).
        Long failedAt = failedAtOurLimit.get(hostname);
        if (failedAt != null && now - failedAt < replayNanos) {
            return "our process was out of file descriptors when the name's lookup last failed, which the JDK replays"
                    + " for " + replayNanos / 1_000_000_000 + " s (networkaddress.cache.negative.ttl)";
        }
        if (failedAt != null) {
            failedAtOurLimit.remove(hostname, failedAt);
        }
        return null;
    }
}
