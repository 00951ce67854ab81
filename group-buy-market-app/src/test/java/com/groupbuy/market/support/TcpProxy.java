package com.groupbuy.market.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP proxy on a free port in front of a shared server (the local MariaDB), which a test can cut (every
 * connection closed, nothing listening) and open again on the same port: an outage without touching the server.
 *
 * <p>It can also lose a commit's answer ({@link #loseCommitAnswers}): the client's COMMIT (MySQL protocol: a
 * COM_QUERY, 0x03, whose text is {@code commit}, as Connector/J's {@code Connection.commit()} sends it too) goes to the
 * server, which commits and answers; the proxy then closes the connection instead of passing the answer on, so the
 * client sees its connection fail with its transaction in fact committed.
 *
 * <p>In front of a Redis it can make its clients look like an instance whose clock is off ({@link
 * #toRedisWithClockShifted}).
 *
 * <p>In front of an AMQP broker it can withhold the clients' {@code basic.cancel} ({@link #withholdCancels}): the
 * broker answers everything else (heartbeats too, so the connection stays up), but no cancel is ever answered.
 */
public final class TcpProxy {

    /** Where new connections go; connections already made stay where they are ({@link #retarget}). */
    private volatile int targetPort;

    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    /** Commits still to lose, of transactions that sent a statement containing {@link #lostFragment}. */
    private final AtomicInteger commitsToLose = new AtomicInteger();

    private final AtomicInteger commitAnswersLost = new AtomicInteger();
    private volatile String lostFragment = "";

    /** Statements still to lose the answer of, when they contain {@link #lostStatement} (one auto-committed alone). */
    private final AtomicInteger statementsToLose = new AtomicInteger();

    private volatile String lostStatement = "";

    /** The next lost answer also cuts the proxy, so the client cannot read back what committed (see {@link #cut}). */
    private volatile boolean cutAtNextLoss;

    /** Reads the client's MySQL packets (to lose chosen answers); any other protocol is passed on byte for byte. */
    private final boolean mysql;

    /** Non-null: reads the client's Redis commands and gives each to this before passing it on ({@link RedisClock}). */
    private final Consumer<List<byte[]>> redisCommands;

    /** Reads the client's AMQP 0-9-1 frames (to withhold its cancels). */
    private final boolean amqp;

    private volatile boolean withholdCancels;
    private final AtomicInteger cancelsWithheld = new AtomicInteger();

    private TcpProxy(int targetPort, int port, boolean mysql, Consumer<List<byte[]>> redisCommands, boolean amqp) {
        this.targetPort = targetPort;
        this.port = port;
        this.mysql = mysql;
        this.redisCommands = redisCommands;
        this.amqp = amqp;
    }

    /** A proxy that passes bytes on unread, for any protocol (AMQP, MySQL): it can only be cut and opened. */
    public static TcpProxy to(int targetPort) throws IOException {
        return start(targetPort, false, null, false);
    }

    /** A proxy in front of an AMQP 0-9-1 broker that can also withhold the clients' cancels ({@link #withholdCancels}). */
    public static TcpProxy toAmqp(int targetPort) throws IOException {
        return start(targetPort, false, null, true);
    }

    /** A proxy in front of MariaDB that can also lose chosen answers ({@link #loseCommitAnswers}). */
    public static TcpProxy toMysql(int targetPort) throws IOException {
        return start(targetPort, true, null, false);
    }

    /**
     * A proxy in front of a Redis whose clients look like an instance whose clock is {@code shift} off: every command
     * argument that reads as the current time in epoch milliseconds (13 digits within ten minutes of this JVM's clock)
     * reaches Redis moved by the shift; everything else passes byte for byte. That is how an instance's clock reaches
     * Redis (a client library stamping what it sends with {@code System.currentTimeMillis()}), and no JVM's clock can
     * be moved from inside it.
     */
    public static TcpProxy toRedisWithClockShifted(int targetPort, Duration shift) throws IOException {
        long shiftMs = shift.toMillis();
        return toRedisWatching(targetPort, command -> RedisClock.shift(command, shiftMs));
    }

    /**
     * A proxy in front of a Redis that gives each command of its clients (a RESP array's arguments, in order) to
     * {@code beforeEach} before passing it on, on that connection's thread: what the hook does to Redis meanwhile (a
     * {@code SCRIPT FLUSH} on a connection of its own) is done before the command reaches Redis.
     */
    public static TcpProxy toRedisWatching(int targetPort, Consumer<List<byte[]>> beforeEach) throws IOException {
        return start(targetPort, false, beforeEach, false);
    }

    private static TcpProxy start(int targetPort, boolean mysql, Consumer<List<byte[]>> redisCommands, boolean amqp)
            throws IOException {
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress("127.0.0.1", 0));
        TcpProxy proxy = new TcpProxy(targetPort, first.getLocalPort(), mysql, redisCommands, amqp);
        proxy.accept(first);
        return proxy;
    }

    public int port() {
        return port;
    }

    /**
     * New connections go to {@code newTargetPort}; those already made stay on the old target, as after a failover
     * behind one address (DNS, a proxy) that closes no connection.
     */
    public void retarget(int newTargetPort) {
        targetPort = newTargetPort;
    }

    /**
     * The next {@code count} COMMITs of transactions that sent a statement containing {@code fragment} (case
     * insensitive; e.g. {@code "INSERT INTO group_buy_order_list"}) are committed by the server but their answer never
     * reaches the client: its connection is closed instead.
     */
    public void loseCommitAnswers(String fragment, int count) {
        requireMysql();
        lostFragment = fragment.toLowerCase(Locale.ROOT);
        commitsToLose.set(count);
    }

    /**
     * The next {@code count} statements containing {@code fragment} (case insensitive) are run by the server but their
     * answer never reaches the client: for a statement auto-committed alone, its commit's answer.
     */
    public void loseStatementAnswers(String fragment, int count) {
        requireMysql();
        lostStatement = fragment.toLowerCase(Locale.ROOT);
        statementsToLose.set(count);
    }

    /** As {@link #loseCommitAnswers}, and the proxy is cut at that moment: the outcome cannot be read back. */
    public void loseCommitAnswerAndCut(String fragment) {
        cutAtNextLoss = true;
        loseCommitAnswers(fragment, 1);
    }

    private void requireMysql() {
        if (!mysql) {
            throw new IllegalStateException("a proxy made by to() does not read MySQL packets: use toMysql()");
        }
    }

    /**
     * From now on every {@code basic.cancel} a client sends is dropped on its way to the broker, as by a broker that
     * takes the frame and never answers it (the embedded Qpid once did, its decoder dead): the client waits for a
     * cancel-ok that never comes, while heartbeats and every other command still pass.
     */
    public void withholdCancels() {
        if (!amqp) {
            throw new IllegalStateException("only a proxy made by toAmqp() reads AMQP frames");
        }
        withholdCancels = true;
    }

    /** The {@code basic.cancel} frames withheld so far. */
    public int cancelsWithheld() {
        return cancelsWithheld.get();
    }

    /** Commits (and statements) that reached the server and whose answer this proxy dropped. */
    public int commitAnswersLost() {
        return commitAnswersLost.get();
    }

    public synchronized void cut() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    public synchronized void open() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress("127.0.0.1", port));
        accept(again);
    }

    private void accept(ServerSocket server) {
        listener = server;
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        Socket client = null;
                        try {
                            client = server.accept();
                            Socket upstream = new Socket("127.0.0.1", targetPort);
                            // Each side's bytes go on as they arrive: with Nagle's algorithm a small write waiting
                            // for the ACK of the one before met the peer's delayed ACK, about 40 ms a round trip
                            // (Flyway's migrations through this proxy took 20 s instead of 1).
                            client.setTcpNoDelay(true);
                            upstream.setTcpNoDelay(true);
                            if (!register(server, client, upstream)) {
                                continue;
                            }
                            if (mysql) {
                                Session session = new Session();
                                commands(client, upstream, session);
                                answers(upstream, client, session);
                            } else if (amqp) {
                                amqpFrames(client, upstream);
                                pump(upstream, client, true);
                            } else if (redisCommands != null) {
                                redisCommands(client, upstream);
                                pump(upstream, client, true);
                            } else {
                                pump(client, upstream, false);
                                pump(upstream, client, true);
                            }
                        } catch (IOException e) {
                            // closed by cut(), or the target refused: the client sees its connection end
                            if (client != null) {
                                close(client);
                            }
                        }
                    }
                },
                "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Keeps the pair for {@link #cut} unless the cut came first (then both are closed and false): a connection accepted
     * just before a cut but registered after it survived it, and a commit's outcome "cut off" could be read back on
     * it (GroupCommitLockCommitLostIT once answered 0000 where the outcome was to be unknowable).
     */
    private synchronized boolean register(ServerSocket server, Socket client, Socket upstream) {
        if (server.isClosed()) {
            close(client);
            close(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    /**
     * From now on every byte the server sends reaches its client {@code delay} later, in order (a server that far away:
     * each answer, a channel's open-ok or a publisher confirm, comes a round trip later); zero: at once again.
     */
    public void delayAnswers(Duration delay) {
        answerDelayNanos = delay.toNanos();
    }

    private volatile long answerDelayNanos;

    /** Bytes from one side to the other, unread, until either side closes; the server's {@code answers} delayed. */
    private void pump(Socket from, Socket to, boolean answers) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        java.util.concurrent.BlockingQueue<Object[]> late = answers ? delayed(from, to, out) : null;
                        while ((n = in.read(buffer)) >= 0) {
                            if (late != null && (answerDelayNanos > 0 || !late.isEmpty())) {
                                late.add(new Object[] {
                                    System.nanoTime() + answerDelayNanos, java.util.Arrays.copyOf(buffer, n)
                                });
                                continue;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        close(from);
                        close(to);
                    }
                },
                "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** A thread writing each chunk queued for {@code out} once its time came, in order. */
    private java.util.concurrent.BlockingQueue<Object[]> delayed(Socket from, Socket to, OutputStream out) {
        java.util.concurrent.BlockingQueue<Object[]> late = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        while (true) {
                            Object[] chunk = late.take();
                            long wait;
                            while ((wait = (Long) chunk[0] - System.nanoTime()) > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            out.write((byte[]) chunk[1]);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        close(from);
                        close(to);
                    }
                },
                "tcp-proxy-late-answers");
        writer.setDaemon(true);
        writer.start();
        return late;
    }

    /** What one client connection's current transaction did, as seen in its commands. */
    private static final class Session {
        /** Since the last COMMIT, ROLLBACK or SET autocommit: a statement containing the fragment was sent. */
        boolean wroteFragment;
        /** The server's next answer is to a COMMIT whose answer is to be lost. */
        volatile boolean loseNextAnswer;
    }

    /** Client to server, packet by packet (3-byte length, sequence id, payload), watching for COMMIT. */
    private void commands(Socket client, Socket upstream, Session session) {
        Thread thread = new Thread(
                () -> {
                    try (DataInputStream in = new DataInputStream(client.getInputStream());
                            OutputStream out = upstream.getOutputStream()) {
                        byte[] header = new byte[4];
                        while (true) {
                            in.readFully(header);
                            int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
                            byte[] payload = new byte[length];
                            in.readFully(payload);
                            if (header[3] == 0 && length > 0 && payload[0] == 0x03) {
                                watch(session, payload);
                            }
                            byte[] packet = new byte[4 + length]; // one write a packet, as the client sent it
                            System.arraycopy(header, 0, packet, 0, 4);
                            System.arraycopy(payload, 0, packet, 4, length);
                            out.write(packet);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        close(client);
                        close(upstream);
                    }
                },
                "tcp-proxy-commands");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Client to server, frame by frame (AMQP 0-9-1: the 8-byte protocol header, then frames of type, channel, payload
     * size, payload and the end octet 0xCE), a {@code basic.cancel} (a method frame of class 60, method 30) dropped
     * while {@link #withholdCancels} is on.
     */
    private void amqpFrames(Socket client, Socket upstream) {
        Thread thread = new Thread(
                () -> {
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                            OutputStream out = upstream.getOutputStream()) {
                        byte[] protocolHeader = new byte[8];
                        in.readFully(protocolHeader);
                        out.write(protocolHeader);
                        out.flush();
                        byte[] header = new byte[7];
                        while (true) {
                            in.readFully(header);
                            int size = (header[3] & 0xff) << 24
                                    | (header[4] & 0xff) << 16
                                    | (header[5] & 0xff) << 8
                                    | (header[6] & 0xff);
                            byte[] frame = new byte[7 + size + 1]; // one write a frame, as the client sent it
                            System.arraycopy(header, 0, frame, 0, 7);
                            in.readFully(frame, 7, size + 1);
                            boolean cancel = header[0] == 1
                                    && size >= 4
                                    && ((frame[7] & 0xff) << 8 | (frame[8] & 0xff)) == 60
                                    && ((frame[9] & 0xff) << 8 | (frame[10] & 0xff)) == 30;
                            if (cancel && withholdCancels) {
                                cancelsWithheld.incrementAndGet();
                                continue;
                            }
                            out.write(frame);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        close(client);
                        close(upstream);
                    }
                },
                "tcp-proxy-amqp-frames");
        thread.setDaemon(true);
        thread.start();
    }

    /** Client to server, command by command (RESP arrays of bulk strings), each given to {@link #redisCommands}. */
    private void redisCommands(Socket client, Socket upstream) {
        Thread thread = new Thread(
                () -> {
                    try (InputStream in = new BufferedInputStream(client.getInputStream());
                            OutputStream out = new BufferedOutputStream(upstream.getOutputStream())) {
                        RedisClock.relay(in, out, redisCommands);
                    } catch (IOException | RuntimeException e) {
                        // one side closed
                    } finally {
                        close(client);
                        close(upstream);
                    }
                },
                "tcp-proxy-redis-commands");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(Session session, byte[] query) {
        String sql = new String(query, 1, query.length - 1, StandardCharsets.UTF_8)
                .trim()
                .toLowerCase(Locale.ROOT);
        if (sql.equals("commit")) {
            if (session.wroteFragment && commitsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                session.loseNextAnswer = true; // before the server can answer
            }
            session.wroteFragment = false;
        } else if (sql.equals("rollback") || sql.startsWith("set autocommit")) {
            session.wroteFragment = false;
        } else {
            if (!lostFragment.isEmpty() && sql.contains(lostFragment)) {
                session.wroteFragment = true;
            }
            if (!lostStatement.isEmpty()
                    && sql.contains(lostStatement)
                    && statementsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                session.loseNextAnswer = true;
            }
        }
    }

    /** Server to client; a COMMIT's answer to be lost closes both sides instead. */
    private void answers(Socket upstream, Socket client, Session session) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = upstream.getInputStream();
                            OutputStream out = client.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (session.loseNextAnswer) {
                                commitAnswersLost.incrementAndGet();
                                if (cutAtNextLoss) {
                                    cutAtNextLoss = false;
                                    cut();
                                }
                                return; // committed on the server; the client never hears it
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        close(upstream);
                        close(client);
                    }
                },
                "tcp-proxy-answers");
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.remove(socket);
    }
}
