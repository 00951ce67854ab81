package com.groupbuy.market.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A redis-server of the test's own on a free port, which the test may kill and start again (the shared Redis on
 * 6379 is never touched). No persistence: a restart comes back empty, as a crashed cache would.
 */
public final class PrivateRedis {

    private final int port;
    private Process process;

    private PrivateRedis(int port) {
        this.port = port;
    }

    public static PrivateRedis start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrivateRedis redis = new PrivateRedis(port);
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    public synchronized void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(new File("target/private-redis-" + port + ".err"))
                .start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!listening()) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new IllegalStateException("private redis-server on " + port + " did not start");
            }
            Thread.sleep(50);
        }
    }

    /** kill -9 of our own child. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
