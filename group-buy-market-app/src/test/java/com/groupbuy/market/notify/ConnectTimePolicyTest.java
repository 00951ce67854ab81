package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.NotifyConfig;
import com.groupbuy.market.config.NotifyProperties;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 item 8 at connect time: the callback client itself refuses a target the policy forbids, also when the URL
 * names an IP literal (OkHttp never asks the DNS about those), against a real HTTP server on loopback.
 */
class ConnectTimePolicyTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "[::ffff:127.0.0.1]", "localhost"})
    void prodClientNeverConnectsToLoopbackWhateverTheUrlSays(String host) {
        server.enqueue(new MockResponse.Builder().body("success").build());
        OkHttpClient prod = new NotifyConfig()
                .notifyHttpClient(new NotifyProperties(), new NotifyUrlPolicy(false, false, url -> true));

        assertThatThrownBy(() -> call(prod, "http://" + host + ":" + server.getPort() + "/cb"))
                .isInstanceOf(IOException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void loopbackIsReachedWhenAllowed() throws IOException {
        server.enqueue(new MockResponse.Builder().body("success").build());
        OkHttpClient local = new NotifyConfig()
                .notifyHttpClient(new NotifyProperties(), new NotifyUrlPolicy(true, false, url -> true));

        assertThat(call(local, "http://127.0.0.1:" + server.getPort() + "/cb")).isEqualTo("success");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aJvmWideProxyIsNotUsedSoTheCheckSeesThePartnersAddress() throws IOException {
        // With a proxy the socket would go to the proxy and the partner's host would be resolved there, unchecked.
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.start(InetAddress.getByName("127.0.0.1"), 0);
            proxy.enqueue(new MockResponse.Builder().body("success").build());
            server.enqueue(new MockResponse.Builder().body("success").build());
            ProxySelector before = ProxySelector.getDefault();
            ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.getPort())));
            try {
                OkHttpClient local = new NotifyConfig()
                        .notifyHttpClient(new NotifyProperties(), new NotifyUrlPolicy(true, false, url -> true));

                assertThat(call(local, "http://127.0.0.1:" + server.getPort() + "/cb"))
                        .isEqualTo("success");
            } finally {
                ProxySelector.setDefault(before);
            }
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(proxy.getRequestCount()).isZero();
        }
    }

    private static String call(OkHttpClient client, String url) throws IOException {
        try (Response response =
                client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.body().string();
        }
    }
}
