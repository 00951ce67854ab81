package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.NotifyProperties;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.support.IntegrationTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A big callback to a partner whose link is slow but steady: a completion body of 528 KB to a real HTTP server of the
 * test's own that reads it at ~48 KB/s, so taking it whole lasts at least 11 s, longer than the fixed call budget
 * (connect + 2 x read timeout: here 0.5 s + 2 x 5 s, 10.5 s; 12 s with the default 2 s connect timeout, which only
 * made the test wait longer). On main every attempt was cut at the window (the client's call timeout), retried until
 * FAIL: the callback never reached the partner. Now its budget is the window plus its bytes at
 * {@code gbm.notify.min-send-rate} (32 KiB/s: 10.5 s + 16 s), and it is delivered at the first attempt.
 * <p>
 * The partner's breaker judges such calls by their bodies too: a call is slow past {@code slow-call-duration} (2 s)
 * plus its body's time at the minimum send rate. The breaker opens here after 4 calls (the test profile's 100,000
 * would hide it).
 */
@IntegrationTest
// The connect timeout only lengthens the send window the big body must outlast (a loopback connect takes
// milliseconds); the read timeout stays the default, which the small slow callbacks (2.5 s) must stay within.
@TestPropertySource(properties = {"gbm.notify.guard.minimum-calls=4", "gbm.notify.connect-timeout=500ms"})
class SlowPartnerLinkIT {

    /** 11 s at least over the link: the reader never takes it faster than its rate. */
    private static final int BODY_BYTES = 528_000;

    private static final int LINK_BYTES_PER_SECOND = 48_000;
    /**
     * 2.4 s at least over the link (the reader never takes it faster), more than the slow-call duration; ~3.5 s at 32
     * KiB/s, so within its body's time.
     */
    private static final int BIG_BYTES = 115_000;

    private static final int BIG_CALLBACKS = 10;
    /** ~2.5 s over a link of 400 B/s, slower than the minimum rate: its body excuses only ~31 ms of it. */
    private static final int SMALL_BYTES = 1_000;

    private static final int SMALL_CALLBACKS = 4;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyProperties properties;

    @Autowired
    EndpointGuards guards;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBigCallbackReachesAPartnerWhoseLinkIsSlowerThanTheFixedBudgetAllowed() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (SlowLink partner = new SlowLink(LINK_BYTES_PER_SECOND)) {
            String teamId = tasks.dueTaskWithBody(partner.url(), SlowPartnerLinkIT::completionOfBigTeam);

            long start = System.nanoTime();
            notifyService.deliverAllDue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            String lastError = lastError(teamId);
            assertThat(tasks.status(teamId))
                    .as("the task's state after one run (took %s, last error %s)", took, lastError)
                    .isEqualTo(NotifyTaskStatus.SUCCESS.code());
            assertThat(tasks.count(teamId)).as("attempts").isEqualTo(1);
            assertThat(partner.received())
                    .as("bodies the partner took whole")
                    .singleElement()
                    .satisfies(received -> {
                        assertThat(received.bytes()).isEqualTo(BODY_BYTES);
                        // The link was slower than the old budget allowed: on main the call was cut before this.
                        assertThat(received.took()).isGreaterThan(properties.sendWindow());
                    });
        }
    }

    /**
     * Ten big completions to a partner whose link takes each in ~2.4 s, above the slow-call duration of 2 s but at a
     * rate above the minimum send rate: none is slow and the partner's breaker stays closed (on main every one was
     * slow and the breaker opened after 4, the others put off unsent). Meanwhile small callbacks over a link slower
     * than the minimum rate (2.5 s for 1 KB) are still slow and open their partner's breaker, as before.
     */
    @Test
    void bigCallbacksWithinTheirBodysTimeDoNotOpenTheBreakerWhileSlowSmallOnesStillDo() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (SlowLink big = new SlowLink(LINK_BYTES_PER_SECOND);
                SlowLink slow = new SlowLink(400)) {
            List<String> bigTeams = new ArrayList<>();
            for (int i = 0; i < BIG_CALLBACKS; i++) {
                bigTeams.add(tasks.dueTaskWithBody(big.url(), teamId -> completion(teamId, BIG_BYTES)));
            }
            for (int i = 0; i < SMALL_CALLBACKS; i++) {
                tasks.dueTaskWithBody(slow.url(), teamId -> completion(teamId, SMALL_BYTES));
            }

            notifyService.deliverAllDue();

            String bigEndpoint = big.endpoint();
            assertThat(big.received())
                    .as("big bodies the partner took whole, each slower than the slow-call duration")
                    .hasSize(BIG_CALLBACKS)
                    .allSatisfy(received -> assertThat(received.took()).isGreaterThan(Duration.ofSeconds(2)));
            assertThat(bigTeams)
                    .allSatisfy(teamId -> assertThat(tasks.status(teamId))
                            .as("team %s", teamId)
                            .isEqualTo(NotifyTaskStatus.SUCCESS.code()));
            // The partner's next callback is sent, not put off behind an open breaker.
            String next = tasks.dueTaskWithBody(big.url(), teamId -> completion(teamId, SMALL_BYTES));
            notifyService.deliverAllDue();
            assertThat(tasks.status(next))
                    .as("the next callback (last error %s)", lastError(next))
                    .isEqualTo(NotifyTaskStatus.SUCCESS.code());
            assertThat(guards.state(bigEndpoint)).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(meter("resilience4j.circuitbreaker.slow.calls", bigEndpoint))
                    .as("big calls counted slow")
                    .isZero();

            String slowEndpoint = slow.endpoint();
            assertThat(meter("resilience4j.circuitbreaker.slow.calls", slowEndpoint))
                    .as("small calls slower than their body allows counted slow")
                    .isEqualTo(SMALL_CALLBACKS);
            assertThat(guards.state(slowEndpoint)).isEqualTo(CircuitBreaker.State.OPEN);
        }
    }

    private String lastError(String teamId) {
        return jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, teamId);
    }

    private double meter(String name, String endpoint) {
        return meters.get(name).tag("name", endpoint).gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
    }

    /** A completion body of exactly {@link #BODY_BYTES} bytes: the team and its members' trade numbers. */
    private static String completionOfBigTeam(String teamId) {
        return completion(teamId, BODY_BYTES);
    }

    /** A completion body of exactly {@code bytes} bytes (at least ~100): the team and its members' trade numbers. */
    private static String completion(String teamId, int bytes) {
        StringBuilder body =
                new StringBuilder(bytes).append("{\"teamId\":\"").append(teamId).append("\",\"outTradeNoList\":[");
        int member = 0;
        while (body.length() < bytes - 80) {
            body.append(member == 0 ? "" : ",").append(String.format("\"%032d\"", member++));
        }
        body.append(",\"");
        while (body.length() < bytes - 3) {
            body.append('x');
        }
        return body.append("\"]}").toString();
    }

    /**
     * A partner's endpoint behind a slow link: a real HTTP/1.1 server on loopback (small receive buffer) that reads
     * each request's body at most {@code bytesPerSecond}, then answers {@code success}. Keeps each body it read whole.
     */
    static final class SlowLink implements AutoCloseable {

        record Received(int bytes, Duration took) {}

        private final ServerSocket server;
        private final int bytesPerSecond;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();

        SlowLink(int bytesPerSecond) throws IOException {
            this.bytesPerSecond = bytesPerSecond;
            server = new ServerSocket();
            // Set before bind so accepted sockets advertise a small window: the sender waits on the reader.
            server.setReceiveBufferSize(8 * 1024);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(this::accept, "slow-link-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/callback";
        }

        /** The name partner s01/c01's callbacks here are guarded under. */
        String endpoint() {
            return EndpointGuards.ofPartner("http:127.0.0.1:" + server.getLocalPort(), "s01", "c01");
        }

        List<Received> received() {
            return List.copyOf(received);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.add(socket);
                    Thread reader = new Thread(() -> serve(socket), "slow-link-read");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                int length = contentLength(headers(in));
                long start = System.nanoTime();
                byte[] chunk = new byte[4 * 1024];
                int read = 0;
                while (read < length) {
                    int n = in.read(chunk, 0, Math.min(chunk.length, length - read));
                    if (n < 0) {
                        return; // the sender gave up: nothing kept
                    }
                    read += n;
                    long due = start + read * 1_000_000_000L / bytesPerSecond;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                }
                received.add(new Received(read, Duration.ofNanos(System.nanoTime() - start)));
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
                                        + "success")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the sender closed the connection: nothing kept
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String headers(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the headers ended");
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        private static int contentLength(String headers) throws IOException {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            throw new IOException("no Content-Length: " + headers);
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : connections) {
                socket.close();
            }
        }
    }
}
