package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.RawHttp.Answer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * DNS rebinding against a loopback-bound server: a page on evil.example that rebinds its name to 127.0.0.1 sends,
 * as a same-origin client, the right admin token, a correctly signed lock, a console or actuator request. Each such
 * request still names evil.example in {@code Host}, and is refused with 421 and the envelope before anything runs:
 * nothing is read, changed or written. Loopback names (any case, IPv4 or IPv6) are served as before. On main every
 * one of these requests was served.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "server.address=127.0.0.1",
            "gbm.admin.token=" + HostCheckIT.TOKEN,
            "gbm.trade.signature.required-for=s01:c01"
        })
class HostCheckIT {

    static final String TOKEN = "it-host-check-token-0123";
    private static final long ACTIVITY = 64_900L;
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final AtomicInteger USERS = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private record Sent(String what, String method, String path, Map<String, String> headers, String body) {}

    @Test
    void aRebindingPageIsRefusedOnEveryPathAndNothingRuns() throws Exception {
        TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:9/cb");
        int changesBefore = count("SELECT COUNT(*) FROM dcc_switch_change");
        List<String> hosts = List.of(
                "evil.example",
                "evil.example:" + port,
                "EVIL.example:" + port,
                "127.0.0.1.evil.example",
                "127.0.0.1.evil.example:" + port,
                "localhost.evil.example:" + port,
                "0.0.0.0:" + port);
        List<String> refused = new ArrayList<>();
        for (String host : hosts) {
            for (Sent sent : requests()) {
                Answer answer = send(host, sent);
                refused.add(host + " " + sent.what() + " -> " + answer.status());
                assertRefused(host + " " + sent.what(), answer);
            }
        }
        System.out.println("refused: " + refused.size() + " requests, e.g. " + refused.get(0));

        // HTTP/1.0 allows a request without Host: nothing says where it was meant, so it is refused too.
        Answer noHost = RawHttp.sendRaw(
                port,
                ("GET /api/v1/gbm/admin/switches HTTP/1.0\r\nX-Admin-Token: " + TOKEN + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertRefused("HTTP/1.0 without Host", noHost);
        // HTTP/1.1 requires one: Tomcat itself answers 400 (our envelope, JsonErrorReportValve).
        Answer noHost11 = RawHttp.sendRaw(
                port,
                ("GET /api/v1/gbm/admin/switches HTTP/1.1\r\nX-Admin-Token: " + TOKEN + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(noHost11.status()).isEqualTo(400);
        assertThat(TestJson.fields(TestJson.JSON.readTree(noHost11.body()))).containsExactly("code", "info", "data");

        assertThat(count("SELECT COUNT(*) FROM dcc_switch_change"))
                .as("no switch changed")
                .isEqualTo(changesBefore);
        assertThat(count("SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = " + ACTIVITY))
                .as("no order locked")
                .isZero();
    }

    @Test
    void loopbackNamesAreServed() throws Exception {
        TradeClient.onNewGoods(port, jdbc, ACTIVITY + 1, "http://127.0.0.1:9/cb");
        for (String host : List.of(
                "127.0.0.1:" + port,
                "localhost:" + port,
                "LOCALHOST:" + port,
                "localhost",
                "[::1]:" + port,
                "127.0.0.1")) {
            Answer read = send(host, adminRead());
            assertThat(read.status()).as(host + " " + read.body()).isEqualTo(200);
            assertThat(TestJson.JSON.readTree(read.body()).path("code").asText())
                    .isEqualTo("0000");

            Answer lock = send(host, signedLock(ACTIVITY + 1));
            assertThat(lock.status()).as(host + " " + lock.body()).isEqualTo(200);
            assertThat(TestJson.JSON.readTree(lock.body()).path("code").asText())
                    .as(host + " " + lock.body())
                    .isEqualTo("0000");

            assertThat(send(host, get("console", "/console/")).status())
                    .as(host)
                    .isEqualTo(302);
            assertThat(send(host, get("health", "/actuator/health")).status())
                    .as(host)
                    .isIn(200, 503);
        }
        assertThat(count("SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = " + (ACTIVITY + 1)))
                .isEqualTo(6);
    }

    private static void assertRefused(String what, Answer answer) throws Exception {
        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(421);
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(TestJson.fields(body)).as(what).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).as(what).isEqualTo("0002");
        assertThat(body.path("data").isNull()).as(what).isTrue();
        assertThat(answer.headers().get("content-type")).as(what).startsWith("application/json");
        assertThat(answer.headers()).as(what).doesNotContainKey("set-cookie");
    }

    private List<Sent> requests() {
        List<Sent> requests = new ArrayList<>();
        requests.add(adminRead());
        requests.add(new Sent(
                "switch change",
                "POST",
                "/api/v1/gbm/admin/switches/degrade",
                Map.of("X-Admin-Token", TOKEN, "Content-Type", "application/json"),
                "{\"value\":\"true\",\"operator\":\"rebind\"}"));
        requests.add(new Sent(
                "console sign-in",
                "POST",
                "/api/v1/gbm/admin/console/session",
                Map.of("Content-Type", "application/json"),
                "{\"token\":\"" + TOKEN + "\"}"));
        requests.add(signedLock(ACTIVITY));
        requests.add(get("console", "/console/"));
        requests.add(get("console page", "/console/index.html"));
        requests.add(get("health", "/actuator/health"));
        requests.add(new Sent("metrics", "GET", "/actuator/metrics", Map.of("X-Admin-Token", TOKEN), ""));
        requests.add(get("prometheus", "/actuator/prometheus"));
        requests.add(new Sent("no such path, html", "GET", "/no/such/path", Map.of("Accept", "text/html"), ""));
        requests.add(new Sent("openapi", "GET", "/v3/api-docs", Map.of("Accept", "*/*"), ""));
        requests.add(new Sent("options", "OPTIONS", "/api/v1/gbm/admin/switches", Map.of(), ""));
        requests.add(new Sent("trace", "TRACE", "/", Map.of(), ""));
        requests.add(
                new Sent("bad content type", "POST", LOCK, Map.of("Content-Type", "*/*", "Accept", "text/html"), "x"));
        return requests;
    }

    private static Sent adminRead() {
        return new Sent("admin read", "GET", "/api/v1/gbm/admin/switches", Map.of("X-Admin-Token", TOKEN), "");
    }

    private static Sent get(String what, String path) {
        return new Sent(what, "GET", path, Map.of(), "");
    }

    private static Sent signedLock(long activity) {
        String user = "hc" + USERS.incrementAndGet();
        String body = "{\"userId\":\"" + user + "\",\"teamId\":\"\",\"activityId\":" + activity + ",\"goodsId\":\"g"
                + activity + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
        long now = Instant.now().getEpochSecond();
        String id = "req_" + UUID.randomUUID();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(now));
        headers.put("webhook-signature", WebhookSignature.sign("test_secret", id, now, body));
        return new Sent("signed lock", "POST", LOCK, headers, body);
    }

    /** One request over a socket to 127.0.0.1 (where a rebound name leads), with {@code Host} as given. */
    private Answer send(String host, Sent sent) throws Exception {
        byte[] body = sent.body().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head =
                new StringBuilder(sent.method() + " " + sent.path() + " HTTP/1.1\r\nHost: " + host + "\r\n");
        sent.headers()
                .forEach((name, value) ->
                        head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return RawHttp.sendRaw(port, request.toByteArray());
    }

    private int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
