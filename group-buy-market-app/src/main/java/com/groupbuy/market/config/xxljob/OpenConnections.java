package com.groupbuy.market.config.xxljob;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections per client address. Without a bound anyone reaching the port, no token needed, could hold
 * connections open without limit (a byte every {@link ExecutorHttpServer#READ_TIMEOUT_SECONDS} keeps one alive), each a
 * file descriptor of the whole service's: enough of them and the database pool, Redis and Tomcat could open none. Per
 * address, and in total ({@code maxConnections}): many addresses (an IPv6 prefix holds billions) each under their own
 * limit held connections without bound. The total does not apply to a known address, one whose right token the token
 * limit admitted on this server within {@link #KNOWN_FOR_MILLIS} (at most {@link #MAX_KNOWN_ADDRESSES}): a total
 * alone would let anyone's connections lock the console out, which jobattack fixed. Open connections are therefore at
 * most {@code maxConnections} plus the known addresses' own limits.
 */
final class OpenConnections {

    /**
     * Connections one client address may hold open at once; over it a new one is closed as soon as it is accepted.
     * The console opens one per call and closes it with the answer.
     */
    static final int MAX_CONNECTIONS_PER_ADDRESS = 64;
    /** Addresses remembered as known (presented the right token), and for how long after their latest. */
    static final int MAX_KNOWN_ADDRESSES = 64;

    static final long KNOWN_FOR_MILLIS = TimeUnit.DAYS.toMillis(1);

    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Long> knownUntil = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int maxConnections;

    OpenConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Counts {@code ch} until it closes; or why not (not counted) when its address, or all, are full. */
    String open(SocketChannel ch) {
        InetAddress address =
                ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
        if (address == null) {
            return null;
        }
        AtomicInteger count = open.compute(address, (a, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        int all = total.incrementAndGet();
        if (count.get() > MAX_CONNECTIONS_PER_ADDRESS) {
            close(address);
            return "over " + MAX_CONNECTIONS_PER_ADDRESS + " open connections from one address";
        }
        if (all > maxConnections && !isKnown(address)) {
            close(address);
            return "over " + maxConnections + " open connections from all addresses";
        }
        ch.closeFuture().addListener(f -> close(address));
        return null;
    }

    /** {@code ch}'s address presented the right token, admitted by the limit (the console's is, on every call). */
    void known(Channel ch) {
        if (!(ch.remoteAddress() instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return;
        }
        long now = System.currentTimeMillis();
        InetAddress address = inet.getAddress();
        if (!knownUntil.containsKey(address) && knownUntil.size() >= MAX_KNOWN_ADDRESSES) {
            knownUntil.values().removeIf(until -> until <= now);
            if (knownUntil.size() >= MAX_KNOWN_ADDRESSES) {
                return;
            }
        }
        knownUntil.put(address, now + KNOWN_FOR_MILLIS);
    }

    private boolean isKnown(InetAddress address) {
        Long until = knownUntil.get(address);
        return until != null && until > System.currentTimeMillis();
    }

    private void close(InetAddress address) {
        total.decrementAndGet();
        open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
