package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partner's answer to a callback (docs/api.md: HTTP 2xx with the plain-text body {@code success}, surrounding
 * whitespace ignored; anything else is a failed attempt) is judged on the whole body as sent.
 */
class CallbackAckTest {

    private final AtomicReference<String> answer = new AtomicReference<>();
    /** Sent without a length (chunked), as many frameworks stream their answers. */
    private volatile boolean chunked;

    private HttpServer server;
    private GroupBuyNotifyService service;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        service = new GroupBuyNotifyService(new OkHttpClient(), (source, channel) -> null, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private boolean delivered(String body) {
        answer.set(body);
        NotifyTaskVO task = NotifyTaskVO.builder()
                .id(1)
                .webhookId("msg_1")
                .teamId("t1")
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_paid2refund")
                .notifyType("HTTP")
                .notifyUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/refund")
                .body("{}")
                .claimToken("x")
                .build();
        return service.groupBuyNotify(task).delivered();
    }

    @Test
    void successWithSurroundingWhitespaceIsDelivered() {
        assertThat(delivered("success")).isTrue();
        assertThat(delivered(" \r\n\tsuccess\r\n ")).isTrue();
        assertThat(delivered("success" + " ".repeat(1024 - 7)))
                .as("padded to exactly 1 KiB")
                .isTrue();
    }

    /** On main only the first KiB was read: {@code success}, a KiB of spaces and then {@code error} was delivered. */
    @Test
    void anAnswerThatOnlyBeginsWithSuccessIsAFailedAttemptWhateverItsLength() {
        assertThat(delivered("success" + " ".repeat(2000) + "error")).isFalse();
        assertThat(delivered("success\n" + "<p>internal error</p>".repeat(100))).isFalse();
        chunked = true;
        assertThat(delivered("success" + " ".repeat(2000) + "error")).isFalse();
        assertThat(delivered("\nsuccess\n")).isTrue();
    }

    /** On main {@code String.trim()} also dropped control characters: NUL, BEL and ESC around {@code success}. */
    @Test
    void controlCharactersAreNotWhitespace() {
        assertThat(delivered("\u0000success")).isFalse();
        assertThat(delivered("success\u0007")).isFalse();
        assertThat(delivered("\u001bsuccess")).isFalse();
    }
}
