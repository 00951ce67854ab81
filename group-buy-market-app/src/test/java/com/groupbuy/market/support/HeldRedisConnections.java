package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain connections to a {@link PrivateRedis} the test holds open, opened one by one until Redis refuses one ({@code
 * ERR max number of clients reached}): another client that took the server's remaining slots under {@code
 * maxclients}, so the next connection the app opens is refused however fast or slow it comes. The Redis counterpart of
 * {@link HeldConnections}; closing it gives the slots back.
 */
public final class HeldRedisConnections implements AutoCloseable {

    /** Tries for one slot whose answer was lost to a reset, before the helper gives up. */
    private static final int TRIES = 3;

    private final List<Socket> held = new ArrayList<>();
    private final int port;
    private String refusal;
    private int refusals;

    private HeldRedisConnections(int port) {
        this.port = port;
    }

    /** Opens connections until Redis refuses one; at most {@code atMost} (then it fails: no limit met). */
    public static HeldRedisConnections untilRefused(int port, int atMost) throws IOException {
        HeldRedisConnections connections = new HeldRedisConnections(port);
        try {
            connections.takeTheRest(atMost);
        } catch (IOException | RuntimeException e) {
            connections.close();
            throw e;
        }
        return connections;
    }

    /** Takes the slots freed since (the app's pool closed some), until refused again. */
    public void takeTheRest(int atMost) throws IOException {
        for (int i = 0; i < atMost; i++) {
            Socket socket = oneMore();
            if (socket == null) {
                return;
            }
            held.add(socket);
        }
        throw new IllegalStateException(atMost + " Redis connections opened, none refused");
    }

    /** A connection Redis answered PONG on, or null once it answered the refusal (kept in {@link #refusal}). */
    private Socket oneMore() throws IOException {
        IOException lost = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(RedisAdminLink.resp("PING"));
                socket.getOutputStream().flush();
                String answer = readLine(socket.getInputStream());
                if (answer.equals("+PONG")) {
                    return socket;
                }
                socket.close();
                if (answer.contains("max number of clients reached")) {
                    refusal = answer;
                    refusals++;
                    return null;
                }
                throw new IllegalStateException("Redis answered a new connection's PING with " + answer);
            } catch (IOException resetBeforeRead) {
                // a refused connection is closed at once: our PING may meet the reset before its answer is read
                socket.close();
                lost = resetBeforeRead;
            }
        }
        throw lost;
    }

    /** Redis's refusal of the last connection asked for, say "-ERR max number of clients reached". */
    public String refusal() {
        return refusal;
    }

    /** How many connections Redis refused the helper: they count in its {@code rejected_connections} too. */
    public int refusals() {
        return refusals;
    }

    public int count() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        held.clear();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("Redis closed the connection after " + line.size() + " bytes");
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
