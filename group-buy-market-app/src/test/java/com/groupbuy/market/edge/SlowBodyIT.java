package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.http.TradeEdgeFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Callers that hold request threads. A caller that sends its headers and then trickles its body (of a length it gave, or chunked without end) (a byte now and then, never stalling long enough for a
 * read to time out) held a request thread for as long as it liked: Tomcat's reads wait for each byte, and nothing
 * bounded the whole body. As many such callers as there are request threads (four here) and every other partner's
 * lock waited. Now a body read ends at {@code gbm.http.body-read-timeout} (a second here): the slow callers are
 * answered 408 with the envelope and their connections closed, and the partner's lock is served. The same for callers
 * that read large answers a little at a time (twenty of the console's script on one connection, 10 KB/s): an answer must be taken within {@code gbm.http.answer-write-timeout} (a
 * second here). The server's send buffer is fixed at 16 KB as over a network (on loopback Linux grows it to megabytes,
 * which would take any answer at once).
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "server.tomcat.threads.max=4",
            "server.tomcat.threads.min-spare=4",
            "gbm.http.body-read-timeout=1s",
            "gbm.http.answer-write-timeout=1s",
        })
class SlowBodyIT {

    private static final int THREADS = 4;
    private static final int SEND_BUFFER = 16_384;

    @TestConfiguration
    static class NetworkSizedSendBuffer {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> networkSizedSendBuffer() {
            return factory -> factory.addConnectorCustomizers(
                    connector -> assertThat(connector.setProperty("socket.txBufSize", String.valueOf(SEND_BUFFER)))
                            .isTrue());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPartnersLockIsServedWhileAsManyCallersAsThereAreRequestThreadsTrickleTheirBodies() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 65_400L, "http://127.0.0.1:9/cb");
        // A first lock before the slow callers: the one measured below is not the service's first (cold) one.
        assertThat(mall.lock("slow-body-warm-up", "").path("code").asText()).isEqualTo("0000");
        List<Socket> slow = new ArrayList<>();
        Thread trickle = null;
        try {
            for (int i = 0; i < THREADS; i++) {
                slow.add(startSlowLock(i % 2 == 1));
            }
            trickle = new Thread(() -> trickle(slow), "slow-body-trickle");
            trickle.setDaemon(true);
            trickle.start();
            Thread.sleep(300);

            assertALockIsServedWithin10Seconds(mall, "slow-body-victim", "trickled their bodies");

            for (Socket socket : slow) {
                socket.setSoTimeout(5_000);
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reply)
                        .as("the slow caller's answer, then the connection closed")
                        .startsWith("HTTP/1.1 408 ")
                        .contains("\"code\":\"0002\"")
                        .contains("Connection: close");
            }
        } finally {
            if (trickle != null) {
                trickle.interrupt();
            }
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aPartnersLockIsServedWhileAsManyCallersAsThereAreRequestThreadsReadLargeAnswersSlowly() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 65_401L, "http://127.0.0.1:9/cb");
        assertThat(mall.lock("slow-read-warm-up", "").path("code").asText()).isEqualTo("0000");
        // The console's script (15 KB, public: the sign-in page loads it), asked for twenty times on one connection.
        String pipeline = ("GET /console/console.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").repeat(20);
        List<Socket> slow = new ArrayList<>();
        List<CompletableFuture<Long>> taken = new ArrayList<>();
        // A thread each: the common pool may have fewer, and the partner's lock must not queue behind them.
        ExecutorService readers = Executors.newFixedThreadPool(THREADS);
        try {
            for (int i = 0; i < THREADS; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(2048);
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.getOutputStream().write(pipeline.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                slow.add(socket);
                taken.add(CompletableFuture.supplyAsync(() -> readSlowly(socket), readers));
            }
            Thread.sleep(300);

            assertALockIsServedWithin10Seconds(mall, "slow-read-victim", "read large answers slowly");
            for (CompletableFuture<Long> read : taken) {
                try {
                    // Twenty answers at 10 KB/s would take half a minute.
                    read.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("a slow reader's connection was still served after 10 s");
                }
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
            readers.shutdownNow();
        }
    }

    private static void assertALockIsServedWithin10Seconds(TradeClient mall, String user, String callers)
            throws Exception {
        long start = System.nanoTime();
        CompletableFuture<JsonNode> lock = CompletableFuture.supplyAsync(() -> {
            try {
                return mall.lock(user, "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode answer;
        try {
            answer = lock.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "a partner's lock was not answered within 10 s while " + THREADS + " callers " + callers);
        }
        assertThat(answer.path("code").asText()).isEqualTo("0000");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
    }

    /** 1 KB every 100 ms (a read never waits long) until the connection ends: the bytes read. */
    private static long readSlowly(Socket socket) {
        byte[] buffer = new byte[1024];
        long read = 0;
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read += n;
                Thread.sleep(100);
            }
        } catch (IOException e) {
            // Reset by the service: that one is done too.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return read;
    }

    /**
     * The headers of a lock and the first byte of its body; the rest comes from {@link #trickle}. Chunked: a body
     * that never ends.
     */
    private Socket startSlowLock(boolean chunked) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + TradeEdgeFilter.LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                        + (chunked
                                ? "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n"
                                : "\r\nContent-Length: 500\r\n\r\n{"))
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    /** A space (JSON whitespace; a chunk of one on the chunked ones) on every slow connection every 100 ms: no read ever waits long. */
    private static void trickle(List<Socket> slow) {
        byte[] space = " ".getBytes(StandardCharsets.ISO_8859_1);
        byte[] spaceChunk = "1\r\n \r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
            for (int n = 0; n < slow.size(); n++) {
                Socket socket = slow.get(n);
                try {
                    socket.getOutputStream().write(n % 2 == 1 ? spaceChunk : space);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // Closed by the service: that one is done.
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
