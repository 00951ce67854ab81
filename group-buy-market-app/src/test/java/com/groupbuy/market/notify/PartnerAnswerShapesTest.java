package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.NotifyConfig;
import com.groupbuy.market.config.NotifyProperties;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A partner's server answers our callbacks the way real servers do, byte for byte from a raw socket, to the production
 * callback client (NotifyConfig's, loopback allowed as outside prod) and the HTTP gateway.
 */
class PartnerAnswerShapesTest {

    private RawPartner partner;

    @AfterEach
    void stop() throws IOException {
        if (partner != null) {
            partner.close();
        }
    }

    /**
     * Node.js (keepAliveTimeout 5 s) and Apache httpd (KeepAliveTimeout 5 s) close a keep-alive connection idle for a
     * few seconds; the client's pool kept it for 5 minutes and, within 10 s of idleness, reused it without a check. The
     * next callback was written to a connection the partner had already closed and failed as "unexpected end of stream"
     * though the partner never saw it: a try of the schedule used and the callback late by a backoff step, for every
     * callback that follows another to the same partner by a few seconds.
     */
    @Test
    void aCallbackAfterThePartnerClosedAnIdleKeepAliveConnectionIsDelivered() throws Exception {
        partner = new RawPartner(200, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsuccess");
        GroupBuyNotifyService gateway = gateway();

        assertThat(gateway.groupBuyNotify(task(partner.url())).delivered()).isTrue();
        Thread.sleep(600); // the partner has closed the idle connection (FIN sent)
        DeliveryResult second = gateway.groupBuyNotify(task(partner.url()));

        assertThat(second.delivered()).as(String.valueOf(second.error())).isTrue();
        assertThat(partner.requests.get()).isEqualTo(2);
    }

    /**
     * Which answers are acknowledgements (docs/api.md: HTTP 2xx and the plain-text body {@code success}, whitespace
     * around it ignored), as a real server frames them; each was checked on main and stays so.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "201 Created | true | HTTP/1.1 201 Created\\r\\nContent-Length: 7\\r\\n\\r\\nsuccess",
                "CRLF after it | true | HTTP/1.1 200 OK\\r\\nContent-Length: 9\\r\\n\\r\\nsuccess\\r\\n",
                "after a 100 Continue | true | HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nContent-Length: 7\\r\\n\\r\\nsuccess",
                "chunked | true | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n7\\r\\nsuccess\\r\\n0\\r\\n\\r\\n",
                "204 with a body | false | HTTP/1.1 204 No Content\\r\\nContent-Length: 7\\r\\n\\r\\nsuccess",
                "302 (not followed) | false | HTTP/1.1 302 Found\\r\\nLocation: http://127.0.0.1:1/\\r\\nContent-Length: 7\\r\\n\\r\\nsuccess",
                "500 | false | HTTP/1.1 500 Oops\\r\\nContent-Length: 7\\r\\n\\r\\nsuccess",
                "a UTF-8 BOM before it | false | HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\n\u00ef\u00bb\u00bfsuccess",
                "other case | false | HTTP/1.1 200 OK\\r\\nContent-Length: 7\\r\\n\\r\\nSUCCESS",
                "a JSON string | false | HTTP/1.1 200 OK\\r\\nContent-Length: 9\\r\\n\\r\\n\"success\"",
                "two lengths | false | HTTP/1.1 200 OK\\r\\nContent-Length: 7\\r\\nContent-Length: 3\\r\\n\\r\\nsuccess",
            })
    void whichAnswersAcknowledge(String shape, boolean acknowledged, String answer) throws Exception {
        partner = new RawPartner(3000, answer.replace("\\r\\n", "\r\n"));

        assertThat(gateway().groupBuyNotify(task(partner.url())).delivered()).isEqualTo(acknowledged);
    }

    /**
     * The client's own follow-ups, which are no redirects: a {@code 408}, or a {@code 503} with {@code Retry-After: 0},
     * is sent again at once, once, within the same attempt (the same request: webhook-id, timestamp and signature);
     * any other status is answered as it is (docs/api.md, <i>Callbacks</i>).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "408 | 2 | HTTP/1.1 408 Request Timeout\\r\\nContent-Length: 5\\r\\n\\r\\nerror",
                "503 Retry-After 0 | 2 | HTTP/1.1 503 Busy\\r\\nRetry-After: 0\\r\\nContent-Length: 5\\r\\n\\r\\nerror",
                "503 Retry-After 1 | 1 | HTTP/1.1 503 Busy\\r\\nRetry-After: 1\\r\\nContent-Length: 5\\r\\n\\r\\nerror",
                "401 | 1 | HTTP/1.1 401 No\\r\\nWWW-Authenticate: Basic\\r\\nContent-Length: 5\\r\\n\\r\\nerror",
                "307 | 1 | HTTP/1.1 307 Moved\\r\\nLocation: /elsewhere\\r\\nContent-Length: 5\\r\\n\\r\\nerror",
            })
    void whichAnswersAreSentAgainAtOnce(String shape, int requests, String answer) throws Exception {
        partner = new RawPartner(3000, answer.replace("\\r\\n", "\r\n"));

        assertThat(gateway().groupBuyNotify(task(partner.url())).delivered()).isFalse();
        assertThat(partner.requests.get()).as("requests the partner read").isEqualTo(requests);
    }

    /**
     * A body that never ends is no acknowledgement, however it begins: {@code success} in a chunk whose stream is never
     * closed (nor its connection) fails at the read timeout, as does one still arriving when the call's time is up.
     */
    @Test
    void aBodyThatNeverEndsIsAFailedAttempt() throws Exception {
        partner = new RawPartner(30_000, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nsuccess\r\n");
        NotifyProperties properties = new NotifyProperties();
        properties.setReadTimeout(java.time.Duration.ofMillis(500));

        DeliveryResult result = new GroupBuyNotifyService(
                        new NotifyConfig().notifyHttpClient(properties, new NotifyUrlPolicy(true, false, url -> true)),
                        (source, channel) -> null,
                        Clock.systemUTC())
                .groupBuyNotify(task(partner.url()));

        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).startsWith("SocketTimeoutException");
    }

    /** Gzip is what the client asks for (Accept-Encoding: gzip): a gzipped {@code success} is the acknowledgement. */
    @Test
    void aGzippedSuccessAcknowledges() throws Exception {
        byte[] body = gzip("success");
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        answer.write(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        answer.write(body);
        partner = new RawPartner(3000, answer.toByteArray());

        assertThat(gateway().groupBuyNotify(task(partner.url())).delivered()).isTrue();
    }

    /**
     * The partner's server writes the status line, and OkHttp quotes a malformed one whole in its error (up to its
     * 256 KiB header limit), as it does a 204's Content-Length value. That text, escaped (a control character six times
     * as long), became the attempt's error: held with every outcome of a page until recorded, and logged whole at every
     * attempt. A partner answering so chose megabytes of our heap per page and of our log per attempt.
     */
    @Test
    void aHugeMalformedStatusLineMakesNoHugeError() throws Exception {
        partner = new RawPartner(3000, "HTTP/1.1 2" + "\u0007".repeat(100_000) + "\r\n\r\n");

        DeliveryResult result = gateway().groupBuyNotify(task(partner.url()));

        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).startsWith("ProtocolException: Unexpected status line");
        assertThat(result.error().length()).as("the error's length").isLessThanOrEqualTo(1_300);
    }

    private static GroupBuyNotifyService gateway() {
        return new GroupBuyNotifyService(
                new NotifyConfig()
                        .notifyHttpClient(new NotifyProperties(), new NotifyUrlPolicy(true, false, url -> true)),
                (source, channel) -> null,
                Clock.systemUTC());
    }

    /** What the gateway reads of a task: its URL, webhook id, body and partner. */
    static NotifyTaskVO task(String url) {
        return NotifyTaskVO.builder()
                .notifyUrl(url)
                .webhookId("msg_shape")
                .body("{\"teamId\":\"t1\"}")
                .source("s01")
                .channel("c01")
                .build();
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * A partner's HTTP/1.1 server on loopback: reads each request (headers, then Content-Length bytes) and writes the
     * given answer bytes; keeps the connection for the next request until it has been idle {@code idleCloseMs}, then
     * closes it as keep-alive servers do.
     */
    static final class RawPartner implements AutoCloseable {

        final AtomicInteger requests = new AtomicInteger();
        private final ServerSocket server;
        private final int idleCloseMs;
        private final byte[] answer;

        RawPartner(int idleCloseMs, String answer) throws IOException {
            this(idleCloseMs, answer.getBytes(StandardCharsets.ISO_8859_1));
        }

        RawPartner(int idleCloseMs, byte[] answer) throws IOException {
            this.idleCloseMs = idleCloseMs;
            this.answer = answer;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::acceptAll, "raw-partner");
            accept.setDaemon(true);
            accept.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/notify";
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread serve = new Thread(() -> serve(socket), "raw-partner-conn");
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout(idleCloseMs);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (readRequest(in)) {
                    requests.incrementAndGet();
                    out.write(answer);
                    out.flush();
                }
            } catch (SocketTimeoutException idle) {
                // idle past the keep-alive timeout: closed, as the partner's server does
            } catch (IOException e) {
                // the client went away
            }
        }

        /** Reads one request; false at the end of the stream. */
        private static boolean readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n")) {
                if ((b = in.read()) < 0) {
                    return false;
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return true;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
