package com.groupbuy.market.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a server a test starts a little later (an app process, a private Redis, MariaDB or RabbitMQ node, an
 * executor): free now, and drawn below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}, 32768 and up
 * by default). A port the kernel hands out for port 0 is drawn from that range, which every outgoing connection's
 * local port comes from too: between the draw and the server's bind, a connection of the other test JVM took one
 * (ExecutorRedisOutageIT: "XXL-Job executor cannot listen on 127.0.0.1:43107 (Address already in use)"). Below the
 * range only an explicit bind takes a port, and these draws are random, checked by a bind, among some 20,000.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The lowest port drawn: above the well-known and most registered servers' ports. */
    private static final int LOWEST = 10_000;
    /** Fewer ports than this below the ephemeral range: the kernel's draw, as before. */
    private static final int FEWEST = 2_000;

    private FreePorts() {}

    /** A port no server listens on now, below the ephemeral range where the host leaves room for it. */
    public static int next() {
        int below = ephemeralLow();
        if (below - LOWEST >= FEWEST) {
            for (int i = 0; i < 100; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                if (free(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean free(int port) {
        // Loopback, where our servers listen; a wildcard listener on the port refuses this bind as well.
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * The ephemeral range's first port, or 32768 (Linux's default) when it cannot be read. Read by lines: on this
     * machine's kernel (6.18) {@code Files.readString} of the /proc file returned "3", the first draws fell below
     * {@link #FEWEST}, and every port came from the kernel's own draw in the ephemeral range after all (the fresh-clone
     * run of 2026-12-06 21:21: "private redis-server on 40679 did not start").
     */
    static int ephemeralLow() {
        try {
            return Integer.parseInt(
                    Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
