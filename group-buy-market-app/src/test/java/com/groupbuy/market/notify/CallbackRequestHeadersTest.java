package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.NotifyConfig;
import com.groupbuy.market.config.NotifyProperties;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a partner's server sees of a callback's request, header by header, as the production callback client
 * (NotifyConfig's) writes it to a raw socket: the documented {@code webhook-*} headers and HTTP's own, nothing that tells
 * the partner about us beyond who calls (docs/api.md, <i>Callbacks</i>).
 */
class CallbackRequestHeadersTest {

    /**
     * OkHttp's default {@code User-Agent: okhttp/5.3.2} named the library and its exact release to every partner and to
     * anyone a lock's {@code notifyUrl} named.
     */
    @Test
    void theRequestCarriesTheDocumentedHeadersAndNamesNoLibraryOrVersion() throws Exception {
        Map<String, String> headers = headersOf(secret -> "sek_s01");

        assertThat(headers.keySet())
                .containsExactlyInAnyOrder(
                        "webhook-id",
                        "webhook-timestamp",
                        "webhook-signature",
                        "content-type",
                        "content-length",
                        "host",
                        "connection",
                        "accept-encoding",
                        "user-agent");
        assertThat(headers.get("user-agent"))
                .as("the User-Agent")
                .isEqualTo("group-buy-market-callback")
                .doesNotContainIgnoringCase("okhttp")
                .doesNotContainPattern("[0-9]");
        assertThat(headers.get("accept-encoding")).isEqualTo("gzip");
    }

    /** Without a secret for its partner a callback goes unsigned, and no other partner's secret signs it. */
    @Test
    void anUnsignedCallbackCarriesNoSignatureHeader() throws Exception {
        Map<String, String> headers = headersOf(secret -> null);

        assertThat(headers).containsKeys("webhook-id", "webhook-timestamp").doesNotContainKey("webhook-signature");
        assertThat(headers.get("user-agent")).isEqualTo("group-buy-market-callback");
    }

    /** The head of the one request the production client sends for a task of s01/c01, names lower-cased. */
    private static Map<String, String> headersOf(java.util.function.Function<String, String> secret) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> answerOne(server));
            GroupBuyNotifyService gateway = new GroupBuyNotifyService(
                    new NotifyConfig()
                            .notifyHttpClient(new NotifyProperties(), new NotifyUrlPolicy(true, false, url -> true)),
                    (source, channel) -> secret.apply(source + "/" + channel),
                    Clock.systemUTC());

            assertThat(gateway.groupBuyNotify(PartnerAnswerShapesTest.task(
                                    "http://127.0.0.1:" + server.getLocalPort() + "/notify"))
                            .delivered())
                    .isTrue();

            Map<String, String> headers = new LinkedHashMap<>();
            String[] lines = head.get(10, TimeUnit.SECONDS).split("\r\n");
            assertThat(lines[0]).isEqualTo("POST /notify HTTP/1.1");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            return headers;
        }
    }

    /** Reads one request's head and answers {@code success}. */
    private static String answerOne(ServerSocket server) {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsuccess".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return head.toString().trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
