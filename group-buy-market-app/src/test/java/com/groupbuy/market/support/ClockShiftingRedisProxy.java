package com.groupbuy.market.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a Redis that makes its clients look like an instance whose clock is {@code shift} off: every
 * command argument that reads as the current time in epoch milliseconds (13 digits within ten minutes of this JVM's
 * clock) reaches Redis moved by the shift; everything else passes byte for byte, both ways. This is how an instance's
 * clock reaches Redis at all (a client library stamping what it sends with {@code System.currentTimeMillis()}), and no
 * JVM clock can be moved from inside. Commands are read as RESP arrays of bulk strings (what Redisson sends), inline
 * ones passed as they are.
 */
public final class ClockShiftingRedisProxy implements AutoCloseable {

    private static final long NEAR_NOW_MS = Duration.ofMinutes(10).toMillis();

    private final ServerSocket server;
    private final int targetPort;
    private final long shiftMs;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clock-shifting-redis-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger shifted = new AtomicInteger();

    private ClockShiftingRedisProxy(int targetPort, Duration shift) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.shiftMs = shift.toMillis();
        threads.submit(this::accept);
    }

    /** A proxy to the Redis on 127.0.0.1:{@code targetPort} whose clients' clock reads {@code shift} off. */
    public static ClockShiftingRedisProxy start(int targetPort, Duration shift) throws IOException {
        return new ClockShiftingRedisProxy(targetPort, shift);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many clock readings were moved so far. */
    public int shifted() {
        return shifted.get();
    }

    private Void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                threads.submit(() -> pipe(upstream.getInputStream(), client.getOutputStream(), client, upstream));
                threads.submit(() -> commands(client.getInputStream(), upstream.getOutputStream(), client, upstream));
            } catch (IOException e) {
                // closed, or one connection failed: the client sees it as a closed connection
            }
        }
        return null;
    }

    private Void pipe(InputStream in, OutputStream out, Socket a, Socket b) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
        return null;
    }

    private Void commands(InputStream raw, OutputStream rawOut, Socket a, Socket b) {
        BufferedInputStream in = new BufferedInputStream(raw);
        BufferedOutputStream out = new BufferedOutputStream(rawOut);
        try {
            int first;
            while ((first = in.read()) >= 0) {
                if (first != '*') {
                    out.write(first);
                    out.write(line(in));
                } else {
                    long args = Long.parseLong(text(line(in)));
                    out.write(("*" + args + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (long i = 0; i < args; i++) {
                        if (in.read() != '$') {
                            throw new IOException("not a bulk string");
                        }
                        int length = Integer.parseInt(text(line(in)));
                        byte[] value = in.readNBytes(length);
                        if (value.length < length || in.readNBytes(2).length < 2) {
                            throw new EOFException();
                        }
                        byte[] sent = shift(value);
                        out.write(("$" + sent.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(sent);
                        out.write('\r');
                        out.write('\n');
                    }
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the other side went away
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
        return null;
    }

    private byte[] shift(byte[] value) {
        if (value.length != 13) {
            return value;
        }
        for (byte c : value) {
            if (c < '0' || c > '9') {
                return value;
            }
        }
        long millis = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        if (Math.abs(millis - System.currentTimeMillis()) > NEAR_NOW_MS) {
            return value;
        }
        shifted.incrementAndGet();
        return Long.toString(millis + shiftMs).getBytes(StandardCharsets.US_ASCII);
    }

    /** The rest of a line, its CR LF included. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                return line.toByteArray();
            }
        }
        throw new EOFException();
    }

    private static String text(byte[] line) {
        return new String(line, 0, line.length - 2, StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(ClockShiftingRedisProxy::closeQuietly);
        threads.shutdownNow();
    }
}
