package com.groupbuy.market.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps a Redis busy for two seconds with a script sent from a plain socket of the test's own (Redis runs one command
 * at a time), so a command the app sends meanwhile is answered only after its 1 s command timeout: the way to show
 * that a command whose answer was late, but which ran, is never sent again.
 */
public final class BusyRedis {

    /** Busy for two seconds, then answers 1. */
    private static final String BUSY = "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
            + "while true do local n = redis.call('TIME') "
            + "if n[1] * 1000000 + n[2] - s > 2000000 then break end end return 1";

    private BusyRedis() {}

    /** Starts the busy script and returns once Redis is busy (bounded); the future completes with its answer, ":1". */
    public static CompletableFuture<String> start(int port) throws InterruptedException {
        CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> runBusyScript(port));
        awaitBusy(port);
        return busy;
    }

    private static String runBusyScript(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(RedisAdminLink.resp("EVAL", BUSY, "0"));
            out.flush();
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until Redis answers a plain PING late (the busy script runs), bounded. */
    private static void awaitBusy(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setSoTimeout(200);
                socket.getOutputStream().write(RedisAdminLink.resp("PING"));
                readLine(socket.getInputStream());
            } catch (SocketTimeoutException busyNow) {
                return;
            } catch (IOException notYet) {
                // not answering yet: try again
            }
            Thread.sleep(10);
        }
        throw new AssertionError("Redis never got busy");
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }
}
