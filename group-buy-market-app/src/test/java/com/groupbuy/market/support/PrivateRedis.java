package com.groupbuy.market.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A redis-server of the test's own on a free port, which the test may kill and start again (the shared Redis on
 * 6379 is never touched). No persistence: a restart comes back empty, as a crashed cache would.
 */
public final class PrivateRedis {

    private final int port;
    /** Server arguments besides port, bind and no persistence (a cluster node's). */
    private final List<String> extraArgs;

    private Process process;

    private PrivateRedis(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = extraArgs;
    }

    public static PrivateRedis start() throws IOException, InterruptedException {
        return start(port -> List.of());
    }

    /** With more server arguments, given the port drawn ({@link PrivateRedisCluster}'s node settings). */
    public static PrivateRedis start(IntFunction<List<String>> extraArgs) throws IOException, InterruptedException {
        int port = freePort();
        PrivateRedis redis = new PrivateRedis(port, extraArgs.apply(port));
        redis.startAgain();
        return redis;
    }

    static int freePort() {
        return FreePorts.next();
    }

    public int port() {
        return port;
    }

    public synchronized void startAgain() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
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

    /**
     * Until this Redis answers one PING on a plain connection of the caller's own, not the app's (bounded: 30 s): the
     * moment a partner could see it back, whatever the app's client has noticed yet.
     */
    public void awaitOnePong() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setSoTimeout(1_000);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = socket.getInputStream().readNBytes(7);
                if ("+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening or not answering yet
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("private redis-server on " + port + " never answered PING again");
            }
            Thread.sleep(50);
        }
    }

    /**
     * SIGSTOP of our own child: it keeps its connections open and answers nothing, as a Redis stuck in a long command
     * or behind a dead network path would. {@link #resume} undoes it.
     */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start()
                .waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    "kill " + signal + " of private redis-server " + process.pid() + ": " + exit);
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
