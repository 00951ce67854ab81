package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import com.groupbuy.market.types.net.ResolverPool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
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
 * finishing on its resolver thread whoever stopped waiting. A failed lookup (no such host, did not resolve in time,
 * lookups busy) is the send's failed attempt, as before.
 */
public class PublicOnlyDns implements Dns {

    /**
     * Delivery lookups running at once per client. Each delivery thread waits for one lookup at a time (at most the
     * after-commit threads plus the run's lanes times its HTTP concurrency, far fewer), but a silent name's lookup
     * runs on after its sender gave up, until the system resolver does (10 s with glibc's defaults): a bound, not a
     * budget (before it there was none, one thread per such send).
     */
    public static final int THREADS = 256;

    private final NotifyUrlPolicy policy;
    private final Duration timeout;
    private final ResolverPool<List<InetAddress>> lookups;

    public PublicOnlyDns(NotifyUrlPolicy policy, Duration timeout) {
        this(policy, Dns.SYSTEM, timeout);
    }

    /** {@code resolver}: the lookup the policy is applied to (the system's, or a test's). */
    public PublicOnlyDns(NotifyUrlPolicy policy, Dns resolver, Duration timeout) {
        this(policy, resolver, timeout, THREADS);
    }

    public PublicOnlyDns(NotifyUrlPolicy policy, Dns resolver, Duration timeout, int threads) {
        this.policy = policy;
        this.timeout = timeout;
        this.lookups = new ResolverPool<>("notify-dns", threads, threads, timeout, resolver::lookup, System::nanoTime);
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
                throw new UnknownHostException(hostname + ": host lookups are busy");
            default:
                if (result.failure() instanceof UnknownHostException unknown) {
                    throw unknown;
                }
                UnknownHostException failed = new UnknownHostException(hostname + ": " + result.failure());
                failed.initCause(result.failure());
                throw failed;
        }
    }
}
