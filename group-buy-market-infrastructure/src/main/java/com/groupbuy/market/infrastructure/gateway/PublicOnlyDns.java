package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * compensation run sizes its leases by. The lookup itself finishes on a resolver thread, whoever stopped waiting;
 * a lookup the JDK is already running for the same name is waited for on its own resolver thread, so these threads
 * number at most the sends started during one system lookup's lifetime (the senders and after-commit threads, each
 * stopping after {@code timeout}), not one per partner request.
 */
public class PublicOnlyDns implements Dns {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService RESOLVERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "notify-dns-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final NotifyUrlPolicy policy;
    private final Dns resolver;
    private final Duration timeout;

    public PublicOnlyDns(NotifyUrlPolicy policy, Duration timeout) {
        this(policy, Dns.SYSTEM, timeout);
    }

    /** {@code resolver}: the lookup the policy is applied to (the system's, or a test's). */
    public PublicOnlyDns(NotifyUrlPolicy policy, Dns resolver, Duration timeout) {
        this.policy = policy;
        this.resolver = resolver;
        this.timeout = timeout;
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

    private List<InetAddress> resolve(String hostname) throws UnknownHostException {
        Future<List<InetAddress>> lookup = RESOLVERS.submit(() -> resolver.lookup(hostname));
        try {
            return lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new UnknownHostException(hostname + " did not resolve within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lookup.cancel(true);
            throw new UnknownHostException(hostname + ": interrupted while resolving");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            UnknownHostException failed = new UnknownHostException(hostname + ": " + e.getCause());
            failed.initCause(e.getCause());
            throw failed;
        }
    }
}
