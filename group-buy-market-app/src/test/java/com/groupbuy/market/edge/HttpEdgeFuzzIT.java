package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.RawHttp.Answer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Every answer of every endpoint is our envelope, whatever arrives: exactly {@code {code, info, data}} as JSON,
 * whatever {@code Accept} or {@code Content-Type} says, for refusals Tomcat makes itself (oversized headers, invalid
 * paths) as for our own; never a 5xx for a client's fault, never a write for a refused request, and never an error
 * for a write that committed. The fuzz part sends a fixed-seed, bounded stream of hostile bodies, headers, paths,
 * methods and content types to the trade, trial, admin and test-receiver endpoints over a raw socket.
 */
@IntegrationTest
// The fuzz sends wrong admin tokens among its hostile headers: far more than the failed authentications allowed,
// whose lock-out (429 0006, AdminTokenGuessIT) would then answer the checks that send the right one.
@TestPropertySource(
        properties = {
            "gbm.admin.token=fuzz-admin",
            "gbm.console.login.max-failures=10000",
            "gbm.console.login.max-failures-all-addresses=1000000"
        })
class HttpEdgeFuzzIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String RECEIVER = "/api/v1/test/group_buy_notify";
    private static final String TASKS = "/api/v1/gbm/admin/notify/tasks";
    private static final long SEED = 20261201L;
    private static final int REQUESTS = 600;
    private static final AtomicInteger ACTIVITY = new AtomicInteger(63000);
    private static final AtomicInteger USER = new AtomicInteger();
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private long activityId;
    private TradeClient mall;

    @BeforeEach
    void setUp() {
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/cb");
    }

    @Test
    void aValidLockAnswersItsEnvelopeAsJsonWhateverAcceptSays() throws Exception {
        for (String accept :
                new String[] {"application/xml", "text/html", "*/*", null, "image/png;q=1, text/csv", "garbage;;q=x"}) {
            String user = "acc" + USER.incrementAndGet();
            String before = fingerprint();
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
            if (accept != null) {
                headers.put("Accept", accept);
            }
            Answer answer =
                    RawHttp.send(port, "POST", LOCK, headers, lockBody(user, "").getBytes(StandardCharsets.UTF_8));

            JsonNode body = envelope(answer, "lock with Accept " + accept);
            assertThat(answer.status()).as(accept + " -> " + answer).isEqualTo(200);
            assertThat(body.path("code").asText()).as(accept + " -> " + answer).isEqualTo("0000");
            assertThat(body.path("data").path("orderId").asText()).hasSize(12);
            assertThat(fingerprint()).as("the lock committed").isNotEqualTo(before);
        }
    }

    @Test
    void aRefusedLockAnswersOurEnvelopeToABrowserNeverAnHtmlPage() throws Exception {
        String before = fingerprint();
        Answer answer = RawHttp.send(
                port,
                "POST",
                LOCK,
                Map.of("Content-Type", "application/json", "Accept", "text/html,application/xhtml+xml"),
                lockBody("html1", "")
                        .replace("\"activityId\":" + activityId, "\"activityId\":1")
                        .getBytes(StandardCharsets.UTF_8));

        JsonNode body = envelope(answer, "refused lock for a browser");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(body.path("code").asText()).startsWith("E0");
        assertThat(fingerprint()).isEqualTo(before);
    }

    /** A browser's {@code Accept} on the health endpoint gets its status (a 406 envelope until 2026-12-04). */
    @Test
    void theHealthEndpointAnswersAnHtmlAcceptWithItsStatus() throws Exception {
        Answer html = RawHttp.send(port, "GET", "/actuator/health", Map.of("Accept", "text/html"), new byte[0]);
        Answer json = RawHttp.send(port, "GET", "/actuator/health", Map.of(), new byte[0]);

        assertThat(html.status()).as(html.toString()).isEqualTo(200);
        assertThat(TestJson.JSON.readTree(html.body()).path("status").asText()).isEqualTo("UP");
        assertThat(TestJson.JSON.readTree(json.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void wildcardAndBrokenContentTypesAre415EnvelopesAndWriteNothing() throws Exception {
        String before = fingerprint();
        for (String type : new String[] {
            "*/*",
            "application/*",
            "*/json",
            "application/*+json",
            "application/json; charset=nope",
            "application/json, text/plain",
            ";",
            "text/plain",
            "application/xml",
            "multipart/form-data; boundary=x"
        }) {
            Answer answer = RawHttp.send(
                    port,
                    "POST",
                    LOCK,
                    Map.of("Content-Type", type),
                    lockBody("ct" + USER.incrementAndGet(), "").getBytes(StandardCharsets.UTF_8));
            JsonNode body = envelope(answer, "Content-Type " + type);
            assertThat(answer.status()).as(type + " -> " + answer).isEqualTo(415);
            assertThat(body.path("code").asText()).isEqualTo("0002");
        }
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void adminPagesBeyondTheBoundsAreFieldErrorsNotFaults() throws Exception {
        for (String query : new String[] {
            "page=2147483647",
            "page=-1",
            "page=100001",
            "size=0",
            "size=201",
            "size=-2147483648",
            "page=99999999999",
            "page=abc",
            "teamId=%00",
            "teamId=1'--",
            "status=x"
        }) {
            Answer answer =
                    RawHttp.send(port, "GET", TASKS + "?" + query, Map.of("X-Admin-Token", "fuzz-admin"), new byte[0]);
            JsonNode body = envelope(answer, query);
            assertThat(answer.status()).as(query + " -> " + answer).isEqualTo(200);
            assertThat(body.path("code").asText()).as(query + " -> " + answer).isEqualTo("0002");
        }
        Answer lastPage = RawHttp.send(
                port, "GET", TASKS + "?page=100000&size=200", Map.of("X-Admin-Token", "fuzz-admin"), new byte[0]);
        assertThat(envelope(lastPage, "the last page").path("code").asText()).isEqualTo("0000");
    }

    @Test
    void requestsTomcatRefusesItselfGetOurEnvelopeWithA4xx() throws Exception {
        List<byte[]> requests = List.of(
                request("GET " + TASKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9000) + "\r\n"),
                request("POST " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Big: "
                        + "b".repeat(20000) + "\r\nContent-Length: 2\r\n\r\n{}"),
                request("GET /api/v1/gbm/trade/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("POST /api/v1/gbm/trade%2Flock_market_pay_order HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET /api/v1/gbm/trade/%5C..%5Cadmin HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET /api/v1/gbm/trade/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET /api/v1/gbm/trade/\u007f HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET /api/v1/gbm/a|b HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET /" + "a".repeat(12000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n"),
                request("G(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("GET " + TASKS + " HTTP/1.1\r\n"),
                request("GET " + TASKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n"),
                request("POST " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n"),
                request("POST " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                // Methods and transfer codings Tomcat does not implement: 501 "0001 unknown failure" before, our fault.
                request("CONNECT " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                request("POST " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: gzip\r\n\r\n{}"));
        String before = fingerprint();
        for (byte[] request : requests) {
            String shown = new String(request, 0, Math.min(80, request.length), StandardCharsets.ISO_8859_1);
            Answer answer = RawHttp.sendRaw(port, request);
            envelope(answer, shown);
            assertThat(answer.status()).as(shown + " -> " + answer).isBetween(400, 499);
        }
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void optionsAndTraceAre405EnvelopesNamingWhatThePathServesAndNeverEchoTheRequest() throws Exception {
        Map<String, String> paths = Map.of(
                LOCK,
                "POST",
                TASKS,
                "GET",
                "/api/v1/gbm/admin/switches/some-switch",
                "POST",
                "/actuator/health",
                "GET");
        String before = fingerprint();
        for (String method : List.of("OPTIONS", "TRACE")) {
            for (Map.Entry<String, String> path : paths.entrySet()) {
                String what = method + " " + path.getKey();
                Answer answer = RawHttp.send(
                        port,
                        method,
                        path.getKey(),
                        Map.of("X-Admin-Token", "fuzz-admin", "X-Echo-Me", "secret-cookie-value"),
                        new byte[0]);

                JsonNode body = envelope(answer, what);
                assertThat(answer.status()).as(what + " -> " + answer).isEqualTo(405);
                assertThat(body.path("code").asText()).as(what).isEqualTo("0002");
                assertThat(body.path("info").asText()).as(what).isEqualTo("method " + method + " not allowed");
                assertThat(answer.headers().get("allow"))
                        .as(what + " -> " + answer)
                        .contains(path.getValue());
                assertThat(answer.body())
                        .as(what + " echoes nothing it was sent")
                        .doesNotContain("secret-cookie-value")
                        .doesNotContain("fuzz-admin");
            }
            Answer unknown = RawHttp.send(port, method, "/api/v1/gbm/trade/no_such_call", Map.of(), new byte[0]);
            assertThat(unknown.status())
                    .as(method + " of an unknown path -> " + unknown)
                    .isEqualTo(404);
            assertThat(envelope(unknown, method + " unknown").path("info").asText())
                    .isEqualTo("no such path");
        }
        // The server-wide form: Tomcat answered it itself, before every valve and filter, 200 with no body (and no
        // Host check). Now it takes the path of any other target, a path nobody serves.
        Answer star = RawHttp.sendRaw(port, request("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        assertThat(star.status()).as("OPTIONS * -> " + star).isEqualTo(404);
        assertThat(envelope(star, "OPTIONS *").path("info").asText()).isEqualTo("no such path");
        Answer misdirected = RawHttp.sendRaw(port, request("OPTIONS * HTTP/1.1\r\nHost: evil.example\r\n"));
        assertThat(misdirected.status())
                .as("OPTIONS * to another name -> " + misdirected)
                .isEqualTo(421);
        envelope(misdirected, "OPTIONS * to another name");
        Answer put = RawHttp.send(port, "PUT", LOCK, Map.of("Content-Type", "application/json"), new byte[0]);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.headers().get("allow"))
                .as("a 405 names what the path serves -> " + put)
                .isEqualTo("POST");
        assertThat(fingerprint()).isEqualTo(before);
    }

    /**
     * A client sending {@code Expect: 100-continue} (curl does for bodies over 1 KB) waits for a {@code 100} before it
     * sends its body. Tomcat sent it as soon as the request reached the servlet, so a request refused before its body
     * is read (a content type no reader honours, a body declared larger than any we read, a wrong admin token, a path
     * nobody serves, another host's name) made the client send its body for nothing. Now a 100 goes only when the body
     * is read, the refusal is the first and only answer, and the connection is closed after it (the client may or may
     * not send the body now: read as a next request it would be one the client never sent).
     */
    @Test
    void aRequestRefusedBeforeItsBodyIsReadIsAnsweredWithoutA100AndItsConnectionClosed() throws Exception {
        byte[] lock = lockBody("exp" + USER.incrementAndGet(), "").getBytes(StandardCharsets.UTF_8);
        record Refusal(String what, String target, Map<String, String> headers, long length, int status, String code) {}
        List<Refusal> refusals = List.of(
                new Refusal("a wildcard content type", LOCK, Map.of("Content-Type", "*/*"), lock.length, 415, "0002"),
                new Refusal(
                        "a body declared past 64 KiB",
                        LOCK,
                        Map.of("Content-Type", "application/json"),
                        10_000_000L,
                        200,
                        "0002"),
                new Refusal(
                        "a body declared past 64 KiB, on Spring's path",
                        LOCK,
                        Map.of("Content-Type", "application/json; charset=ISO-8859-1"),
                        100_000L,
                        200,
                        "0002"),
                new Refusal(
                        "a wrong admin token",
                        "/api/v1/gbm/admin/switches/some-switch",
                        Map.of("Content-Type", "application/json", "X-Admin-Token", "wrong"),
                        20,
                        403,
                        null),
                new Refusal(
                        "a path nobody serves",
                        "/api/v1/gbm/trade/no_such_call",
                        Map.of("Content-Type", "application/json"),
                        lock.length,
                        404,
                        "0002"));
        String before = fingerprint();
        for (Refusal refusal : refusals) {
            RawHttp.Continued answer = RawHttp.sendExpectingContinue(
                    port, "POST", refusal.target(), refusal.headers(), refusal.length(), lock);
            assertThat(answer.continued())
                    .as(refusal.what() + ": no 100 before the refusal -> " + answer)
                    .isFalse();
            assertThat(answer.answer().status())
                    .as(refusal.what() + " -> " + answer)
                    .isEqualTo(refusal.status());
            JsonNode body = envelope(answer.answer(), refusal.what());
            if (refusal.code() != null) {
                assertThat(body.path("code").asText()).as(refusal.what()).isEqualTo(refusal.code());
            }
        }
        byte[] head = ("POST " + LOCK + " HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
                        + "Expect: 100-continue\r\nContent-Length: " + lock.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Answer misdirected = RawHttp.sendRaw(port, head);
        assertThat(misdirected.status())
                .as("another host's name -> " + misdirected)
                .isEqualTo(421);
        envelope(misdirected, "another host's name");
        assertThat(fingerprint()).isEqualTo(before);
    }

    /**
     * A form body is never read into memory. Spring's {@code FormContentFilter}, on by default, read the whole body of
     * every PUT, PATCH or DELETE sent as {@code application/x-www-form-urlencoded} into one string before any filter or
     * handler of ours, with no bound (the JSON bound is 64 KiB): on the console's sign-out (DELETE, no token needed)
     * anyone had the service hold a body of any size in memory. On main the service took all 64 MiB declared.
     */
    @Test
    void aFormBodyOnTheSignOutIsNotReadIntoMemory() throws Exception {
        long declared = 64L << 20;
        byte[] chunk = ("a=" + "b".repeat((64 << 10) - 3) + "&").getBytes(StandardCharsets.US_ASCII);
        AtomicLong written = new AtomicLong();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("DELETE /api/v1/gbm/admin/console/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + declared
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    while (written.get() < declared) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException closed) {
                    // the service stopped taking the body: what this test wants to see
                }
            });
            writer.start();
            // Answered only once the body was read (main: all of it), or at once when nothing reads it.
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            socket.close();
            writer.join(5_000);
            assertThat(status).as("the sign-out's answer").startsWith("HTTP/1.1 200");
        }
        assertThat(written.get())
                .as("bytes of a %d-byte form body the service took", declared)
                .isLessThan(16L << 20);
    }

    /** The same client with a request we serve: the 100 comes, the body is read, the lock is written and answered. */
    @Test
    void aRequestWhoseBodyIsReadGetsItsContinueAndIsServed() throws Exception {
        for (String type : List.of("application/json", "application/json; charset=ISO-8859-1")) {
            String user = "exq" + USER.incrementAndGet();
            // Over 1 KB, as curl sends Expect for: an unknown field is ignored.
            byte[] lock = lockBody(user, "")
                    .replaceFirst("}$", ",\"note\":\"" + "n".repeat(2_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String before = fingerprint();
            RawHttp.Continued answer =
                    RawHttp.sendExpectingContinue(port, "POST", LOCK, Map.of("Content-Type", type), lock.length, lock);

            assertThat(answer.continued()).as(type + " -> " + answer).isTrue();
            assertThat(answer.answer().status()).as(type + " -> " + answer).isEqualTo(200);
            assertThat(envelope(answer.answer(), type).path("code").asText())
                    .as(type + " -> " + answer)
                    .isEqualTo("0000");
            assertThat(fingerprint()).as("the lock committed").isNotEqualTo(before);
        }
    }

    /**
     * Path parameters ({@code ;x=1}) on any segment of an admin path reach the route without them, and only with the
     * token: the handler mapping and the token check read the path alike. The audit records the route run, without
     * them (on main the path as sent: {@code /api/v1;x=1/gbm/admin/switches/degrade} for a switch change). {@code ..;/}
     * and a parameter before the context's first segment reach no route at all. A path variable never carries them
     * into a use case; an encoded {@code %3B} is part of the value, refused as such.
     */
    @Test
    void pathParametersReachAnAdminRouteOnlyWithTheTokenAndTheAuditNamesTheRouteRun() throws Exception {
        String change = "{\"value\":\"false\",\"operator\":\"edge\"}";
        String route = "/api/v1/gbm/admin/switches/degrade";
        for (String path : List.of(
                route + ";x=1",
                route + ";",
                "/api/v1/gbm/admin/switches;x=1/degrade",
                "/api/v1/gbm/admin;x=1/switches/degrade",
                "/api/v1/gbm/admin;/switches/degrade",
                "/api/v1/gbm;x=1/admin/switches/degrade",
                "/api/v1;x=1/gbm/admin/switches/degrade")) {
            assertThat(adminCall(path, change, false)).as(path).isEqualTo("403 0002 []");
            assertThat(adminCall(path, change, true)).as(path).isEqualTo("200 0000 [POST " + route + " 200 0000]");
        }
        for (String path : List.of(
                "/api/v1/gbm/admin/x/..;/switches/degrade",
                "/api/v1/gbm/admin/..;/admin/switches/degrade",
                "/api/v1/gbm/x/..;/admin/switches/degrade",
                "/api/v1/gbm/admin/console/session/..;/..;/switches/degrade",
                "/;x=1/api/v1/gbm/admin/switches/degrade")) {
            assertThat(adminCall(path, change, false)).as(path).isEqualTo("404 0002 []");
            assertThat(adminCall(path, change, true)).as(path).isEqualTo("404 0002 []");
        }

        long taskId = taskWithAttempt();
        String tasks = TASKS + "/" + taskId;
        assertThat(adminCall(tasks + ";x=1/redrive", "", true))
                .as("the task's own id, matched without the parameter")
                .isEqualTo("200 E0302 [POST " + tasks + "/redrive 200 E0302]");
        assertThat(adminCall(tasks + "%3Bx=1/redrive", "", true))
                .isEqualTo("200 0002 [POST " + tasks + "%3Bx=1/redrive 200 0002]");
        Answer batch =
                RawHttp.send(port, "POST", "/api/v1/gbm/admin/tag-imports/nosuch;x=1/run", adminHeaders(), new byte[0]);
        assertThat(envelope(batch, "a batch id with a path parameter")
                        .path("info")
                        .asText())
                .isEqualTo("illegal parameter: no crowd tag job for batch or tag nosuch");
        Answer team = RawHttp.send(
                port, "GET", "/api/v1/gbm/admin/console/teams/12345678;x=1/members", adminHeaders(), new byte[0]);
        assertThat(envelope(team, "a team id with a path parameter")
                        .path("info")
                        .asText())
                .isEqualTo("illegal parameter: teamId 12345678 names no team");
    }

    /** Partner trade paths: a path parameter is matched without it, as handler mapping reads it; {@code ..;/} 404. */
    @Test
    void pathParametersOnTradePathsAreMatchedWithoutThemAndDotDotSemicolonReachesNothing() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        for (String path : List.of(LOCK + ";x=1", "/api/v1/gbm/trade;x=1/lock_market_pay_order")) {
            String user = "mx" + USER.incrementAndGet();
            Answer answer =
                    RawHttp.send(port, "POST", path, json, lockBody(user, "").getBytes(StandardCharsets.UTF_8));
            assertThat(envelope(answer, path).path("code").asText())
                    .as(path + " -> " + answer)
                    .isEqualTo("0000");
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no = ?",
                            Integer.class,
                            "out-" + user))
                    .isEqualTo(1);
        }
        String before = fingerprint();
        String user = "mx" + USER.incrementAndGet();
        Answer dotDot = RawHttp.send(
                port,
                "POST",
                "/api/v1/gbm/trade/x/..;/lock_market_pay_order",
                json,
                lockBody(user, "").getBytes(StandardCharsets.UTF_8));
        assertThat(dotDot.status()).as(dotDot.toString()).isEqualTo(404);
        assertThat(envelope(dotDot, "..;/").path("code").asText()).isEqualTo("0002");
        assertThat(fingerprint()).isEqualTo(before);
    }

    /** "status code [audit rows this call added: method path status code]", the switch's changes counted as well. */
    private String adminCall(String path, String body, boolean withToken) throws Exception {
        long lastAudit = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM admin_action", Long.class);
        long changes = jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Long.class);
        Map<String, String> headers = withToken ? adminHeaders() : Map.of("Content-Type", "application/json");
        Answer answer = RawHttp.send(port, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
        String code = envelope(answer, path).path("code").asText();
        List<String> audit = jdbc.queryForList(
                "SELECT CONCAT(method, ' ', path, ' ', http_status, ' ', COALESCE(code, '-')) FROM admin_action"
                        + " WHERE id > ? ORDER BY id",
                String.class,
                lastAudit);
        long changed = jdbc.queryForObject("SELECT COUNT(*) FROM dcc_switch_change", Long.class) - changes;
        assertThat(changed)
                .as(path + ": a switch changed exactly when the call was admitted and answered 0000")
                .isEqualTo(code.equals("0000") && path.contains("switches") ? 1 : 0);
        return answer.status() + " " + code + " " + audit;
    }

    private static Map<String, String> adminHeaders() {
        return Map.of("Content-Type", "application/json", "X-Admin-Token", "fuzz-admin");
    }

    /** Fixed seed, fixed count: the same {@value #REQUESTS} hostile requests on every run. */
    @Test
    void hostileRequestsOnEveryEndpointNeverFaultAlwaysAnswerTheEnvelopeAndRefusalsWriteNothing() throws Exception {
        mall.team("fz1", "fz2");
        long taskId = taskWithAttempt();
        Random random = new Random(SEED);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Hostile request = hostile(random, taskId);
            String before = fingerprint();
            Answer answer = RawHttp.send(port, request.method, request.target, request.headers, request.body);
            String shown = "#" + i + " " + request;
            assertThat(answer.status()).as(shown + " -> " + answer).isLessThan(500);
            if (request.target.startsWith(RECEIVER)
                    && request.method.equals("POST")
                    && answer.status() == 200
                    && answer.body().equals("success")) {
                accepted++;
                continue;
            }
            JsonNode body = envelope(answer, shown);
            if (body.path("code").asText().equals("0000")) {
                accepted++;
            } else {
                refused++;
                assertThat(fingerprint())
                        .as("refused but wrote: " + shown + " -> " + answer)
                        .isEqualTo(before);
            }
        }
        assertThat(refused).as("the stream is mostly hostile").isGreaterThan(REQUESTS / 2);
        assertThat(accepted)
                .as("some requests stay valid, so the checks behind parsing run too")
                .isPositive();
    }

    private Hostile hostile(Random random, long taskId) {
        String user = "fz" + USER.incrementAndGet();
        String[][] endpoints = {
            {"POST", LOCK, lockBody(user, "")},
            {
                "POST",
                SETTLE,
                "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"fz1\",\"outTradeNo\":\"out-fz1\","
                        + "\"outTradeTime\":\"" + TradeClient.now() + "\"}"
            },
            {"POST", REFUND, "{\"userId\":\"fz2\",\"outTradeNo\":\"out-fz2\",\"source\":\"s01\",\"channel\":\"c01\"}"},
            {
                "POST",
                TRIAL,
                "{\"userId\":\"" + user + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + activityId
                        + "\"}"
            },
            {"POST", RECEIVER, "{\"teamId\":\"12345678\",\"outTradeNoList\":[\"o1\"]}"},
            {"GET", RECEIVER, ""},
            {"GET", TASKS + "?page=0&size=5", ""},
            {"GET", TASKS + "/" + taskId + "/attempts", ""},
            {"POST", TASKS + "/" + taskId + "/redrive", ""},
        };
        String[] endpoint = endpoints[random.nextInt(endpoints.length)];
        Hostile request = new Hostile(
                endpoint[0], endpoint[1], new LinkedHashMap<>(), endpoint[2].getBytes(StandardCharsets.UTF_8));
        request.headers.put("Content-Type", "application/json");
        if (endpoint[1].startsWith(TASKS)) {
            request.headers.put("X-Admin-Token", "fuzz-admin");
        }
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(6)) {
                case 0, 1 -> mutateBody(random, request);
                case 2 -> mutateHeaders(random, request);
                case 3 -> mutatePath(random, request);
                case 4 ->
                    request.method =
                            pick(random, "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "post");
                default ->
                    request.headers.put(
                            "Accept",
                            pick(
                                    random,
                                    "application/xml",
                                    "text/html",
                                    "*/*",
                                    "text/plain",
                                    "application/json;q=0",
                                    "image/*",
                                    "x/y;;;",
                                    ""));
            }
        }
        return request;
    }

    private static void mutateBody(Random random, Hostile request) {
        String body = new String(request.body, StandardCharsets.UTF_8);
        int kind = random.nextInt(8);
        List<String> fields = new ArrayList<>();
        Matcher matcher = FIELD.matcher(body);
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        if (kind <= 3 && !fields.isEmpty()) {
            // One field's value replaced with a hostile JSON value.
            String field = fields.get(random.nextInt(fields.size()));
            String replaced = body.replaceFirst(
                    "\"" + field + "\":(\"[^\"]*\"|-?\\d+|\\[[^\\]]*\\])",
                    Matcher.quoteReplacement("\"" + field + "\":" + hostileValue(random)));
            request.body = replaced.getBytes(StandardCharsets.UTF_8);
            return;
        }
        request.body = switch (kind) {
            case 4 ->
                pick(
                                random,
                                "",
                                "null",
                                "[]",
                                "\"x\"",
                                "42",
                                "{",
                                "{\"a\":",
                                "}",
                                "{}",
                                "[{}]",
                                "true",
                                "{\"source\":\"s01\",\"source\":\"s02\"}",
                                "\ufeff" + body,
                                body + body,
                                body.replace("\"", "'"))
                        .getBytes(StandardCharsets.UTF_8);
            case 5 -> {
                byte[] bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 6 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            default ->
                body.replaceFirst("\\{", "{\"zz\":\"" + "x".repeat(100_000) + "\",")
                        .getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16);
        };
    }

    private static String hostileValue(Random random) {
        return pick(
                random,
                "1",
                "-1",
                "0",
                "1.5",
                "1e400",
                "99999999999999999999999",
                "true",
                "false",
                "null",
                "[]",
                "[\"s01\"]",
                "{}",
                "{\"a\":1}",
                "\"\"",
                "\" \"",
                "\"" + "a".repeat(5000) + "\"",
                "\"\\ud800\"",
                "\"\\u0000\"",
                "\"a\\u0007b\"",
                "\"\\u202e\"",
                "\"\\ud83d\\ude00\"",
                "\"' OR 1=1 --\"",
                "\"%00\"",
                "\"<script>alert(1)</script>\"",
                "\"２０２６-０１-０１ １０:００:００\"",
                "\"2026-02-30 10:00:00\"",
                "\"24:00:00\"",
                "\"-1\"",
                "\"１２３\"",
                "\"http://169.254.169.254/\"",
                "\"file:///etc/passwd\"",
                "\"\\r\\nX-Injected: 1\"");
    }

    private static void mutateHeaders(Random random, Hostile request) {
        switch (random.nextInt(5)) {
            case 0 ->
                request.headers.put(
                        "Content-Type",
                        pick(
                                random,
                                "*/*",
                                "application/*",
                                "text/plain",
                                "application/json; charset=UTF-16",
                                "application/json; charset=ISO-8859-1",
                                "application/json; charset=x",
                                "application/x-www-form-urlencoded",
                                "multipart/form-data",
                                "multipart/form-data; boundary=zz",
                                "application/xml",
                                "text/html",
                                "",
                                ";",
                                "application/json, text/plain",
                                "application/problem+json",
                                "\u00e9/\u00e9"));
            case 1 -> request.headers.remove("Content-Type");
            case 2 -> {
                request.headers.put("webhook-id", pick(random, "x", "", "a".repeat(300), "msg_\u0001"));
                request.headers.put(
                        "webhook-timestamp",
                        pick(
                                random,
                                "0",
                                "-1",
                                "abc",
                                "99999999999999999999",
                                String.valueOf(System.currentTimeMillis() / 1000)));
                request.headers.put(
                        "webhook-signature", pick(random, "v1,", "v1,AAAA", "", "v1," + "A".repeat(5000), "v2,x v1,y"));
            }
            case 3 ->
                request.headers.put(
                        "X-Admin-Token", pick(random, "", "wrong", "fuzz-admin ", "FUZZ-ADMIN", "x".repeat(4000)));
            default ->
                request.headers.put(
                        pick(
                                random,
                                "X-Junk",
                                "Accept-Charset",
                                "Accept-Encoding",
                                "Accept-Language",
                                "Transfer-Encoding-X",
                                "Origin",
                                "Cookie"),
                        pick(random, "\u00ff\u00fe", "*", "x".repeat(9000), "gzip;q=abc", "a=b; c", "null"));
        }
    }

    private static void mutatePath(Random random, Hostile request) {
        int query = request.target.indexOf('?');
        String path = query < 0 ? request.target : request.target.substring(0, query);
        String rest = query < 0 ? "" : request.target.substring(query);
        String suffix = pick(
                random,
                "/",
                "x",
                "%00",
                "%2F",
                "%5C",
                "%zz",
                "..;/",
                ";a=b",
                "//",
                "%E2%80%AE",
                "/..",
                "/%2e%2e/",
                "%",
                "\u00e9",
                "?page=2147483647&size=-1",
                "?teamId=%00",
                "?status=99999999999",
                "?page=1&page=2",
                "#frag",
                "%C0%AE");
        request.target = random.nextBoolean() ? path + suffix + rest : path.replace("/gbm/", "/gbm/" + suffix) + rest;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    /** Asserts the answer is exactly our JSON envelope and returns it. */
    private static JsonNode envelope(Answer answer, String what) throws Exception {
        assertThat(answer.headers().getOrDefault("content-type", ""))
                .as(what + " -> " + answer)
                .startsWith("application/json");
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(body).as(what + " -> " + answer).isNotNull();
        assertThat(TestJson.fields(body)).as(what + " -> " + answer).containsExactly("code", "info", "data");
        assertThat(body.path("code").isTextual()).as(what + " -> " + answer).isTrue();
        return body;
    }

    /** Every row and state a trade request can write synchronously (callback delivery runs later and is left out). */
    private String fingerprint() {
        return jdbc.queryForObject(
                "SELECT CONCAT_WS('/', (SELECT COUNT(*) FROM group_buy_order), "
                        + "(SELECT COALESCE(SUM(status * 1000000 + lock_count * 1000 + complete_count), 0) FROM group_buy_order), "
                        + "(SELECT COUNT(*) FROM group_buy_order_list), "
                        + "(SELECT COALESCE(SUM(status), 0) FROM group_buy_order_list), (SELECT COUNT(*) FROM notify_task))",
                String.class);
    }

    private long taskWithAttempt() {
        String teamId = new NotifyTaskFixture(jdbc).dueTask("http://127.0.0.1:9/cb");
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    private String lockBody(String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-"
                + userId + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    private static byte[] request(String head) {
        String full = head.contains("\r\n\r\n") ? head : head + "Connection: close\r\n\r\n";
        return full.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class Hostile {
        String method;
        String target;
        final Map<String, String> headers;
        byte[] body;

        Hostile(String method, String target, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers.keySet() + " " + headers.getOrDefault("Content-Type", "-")
                    + " body=" + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
    }
}
