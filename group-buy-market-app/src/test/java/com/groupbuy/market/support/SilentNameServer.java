package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

/**
 * A real name server on a loopback UDP port for the zone {@value #ZONE}, and the JVM's name service pointed at it for
 * that zone: {@code InetAddress.getAllByName("x.silent.gbm-test")} sends a DNS query over UDP (the JDK's own DNS
 * client, {@code com.sun.jndi.dns}) to this server and waits for it as a system resolver waits, {@link #RESOLVER_TIMEOUT_MS}
 * for one attempt. Names under {@code honest.gbm-test} are answered (A 127.0.0.1); every other name in the zone is
 * read and never answered — the partner's name server that holds whoever asks it. Every other name goes to the JDK's
 * own name service as before.
 * <p>
 * The JDK has no supported way to name a name server on Java 17 (the system resolver reads /etc/resolv.conf), so the
 * JDK's private name service is swapped for a proxy: the Failsafe JVM opens {@code java.net} for it (root pom).
 */
public final class SilentNameServer implements AutoCloseable {

    public static final String ZONE = "gbm-test";
    /** How long the JVM's resolver waits for one name server answer (glibc's default is 5 s, times 2 attempts). */
    public static final int RESOLVER_TIMEOUT_MS = 4000;

    private final DatagramSocket socket;
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private volatile long lastUnanswered;
    private final Object original;
    private final Field nameService;

    private SilentNameServer() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread reader = new Thread(this::serve, "silent-name-server");
        reader.setDaemon(true);
        reader.start();
        nameService = InetAddress.class.getDeclaredField("nameService");
        nameService.setAccessible(true);
        original = nameService.get(null);
        Class<?> type = Class.forName("java.net.InetAddress$NameService");
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getName().equals("lookupAllHostAddr")
                    && ((String) args[0]).toLowerCase(Locale.ROOT).endsWith("." + ZONE)) {
                return ask((String) args[0]);
            }
            return delegate(method, args);
        });
        nameService.set(null, proxy);
    }

    /** Starts the server and routes the JVM's lookups of the zone to it, until {@link #close()}. */
    public static SilentNameServer start() throws Exception {
        return new SilentNameServer();
    }

    /** DNS queries this server received for the name (each attempt of each lookup). */
    public int queriesFor(String name) {
        AtomicInteger count = queries.get(name.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    /** DNS queries received for any name. */
    public int queries() {
        return queries.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Waits until every lookup this server left unanswered has timed out in the JVM's resolver. */
    public void awaitUnansweredLookupsOver() throws InterruptedException {
        long over = lastUnanswered + TimeUnit.MILLISECONDS.toNanos(RESOLVER_TIMEOUT_MS + 300L);
        long left = over - System.nanoTime();
        if (lastUnanswered != 0 && left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    @Override
    public void close() throws Exception {
        nameService.set(null, original);
        socket.close();
    }

    private InetAddress[] ask(String host) throws UnknownHostException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + socket.getLocalPort());
        env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(RESOLVER_TIMEOUT_MS));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        try {
            Attributes answer = new InitialDirContext(env).getAttributes(host, new String[] {"A"});
            if (answer.get("A") == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {
                InetAddress.getByAddress(
                        host,
                        InetAddress.getByName((String) answer.get("A").get()).getAddress())
            };
        } catch (NamingException e) {
            UnknownHostException failed = new UnknownHostException(host + ": " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
    }

    private Object delegate(Method method, Object[] args) throws Throwable {
        try {
            method.setAccessible(true);
            return method.invoke(original, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                continue;
            }
            byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            String name = questionName(query);
            queries.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (name.endsWith(".honest." + ZONE)) {
                byte[] answer = answer(query);
                try {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                } catch (Exception e) {
                    // the asker gave up
                }
            } else {
                lastUnanswered = System.nanoTime(); // read, never answered
            }
        }
    }

    /** The question's name (RFC 1035 4.1.2: labels from offset 12, no compression in a question we are sent). */
    private static String questionName(byte[] query) {
        StringBuilder name = new StringBuilder();
        int at = 12;
        while (at < query.length && query[at] != 0) {
            int length = query[at] & 0xff;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(query, at + 1, length, StandardCharsets.US_ASCII));
            at += length + 1;
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }

    /** The query answered: its id and question, one A record 127.0.0.1 (TTL 60 s) pointing at the question's name. */
    private static byte[] answer(byte[] query) {
        int end = 12;
        while (query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        end += 5; // the root label, QTYPE, QCLASS
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query[0]);
        out.write(query[1]);
        out.write(0x81); // response, recursion desired
        out.write(0x80); // recursion available, no error
        out.writeBytes(new byte[] {0, 1, 0, 1, 0, 0, 0, 0}); // 1 question, 1 answer
        out.write(query, 12, end - 12);
        out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1});
        return out.toByteArray();
    }
}
