package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.RawHttp.Answer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.http.StrictJsonReader;
import com.groupbuy.market.trigger.http.TradeEdgeFilter;
import com.groupbuy.market.types.security.WebhookSignature;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * #19: the lean trade path ({@link TradeEdgeFilter}) answers exactly what Spring MVC's path answers: every request of
 * a table of hostile and ordinary trade requests is sent once with the filter on and once with it off, and the two
 * answers must agree in status, every header but {@code Date}, and every byte of the body.
 */
@IntegrationTest
@Import(TradeEdgeFilterIT.DispatchCount.class)
class TradeEdgeFilterIT {

    /** Counts trade requests that reached Spring MVC's handler adapter: none may on the lean path. */
    @TestConfiguration
    static class DispatchCount implements WebMvcConfigurer {
        static final AtomicInteger DISPATCHED = new AtomicInteger();

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new HandlerInterceptor() {
                        @Override
                        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h) {
                            DISPATCHED.incrementAndGet();
                            return true;
                        }
                    })
                    .addPathPatterns(TradeEdgeFilter.paths());
        }
    }

    private static final String LOCK = TradeEdgeFilter.LOCK;
    private static final String SETTLE = TradeEdgeFilter.SETTLE;
    private static final String REFUND = TradeEdgeFilter.REFUND;
    private static final AtomicLong ACTIVITIES = new AtomicLong(64_100L);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    FilterRegistrationBean<TradeEdgeFilter> tradeEdge;

    @Autowired
    LiveSwitchService switches;

    private TradeClient mall;
    private long activity;

    @BeforeEach
    void setUp() {
        activity = ACTIVITIES.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activity, "http://127.0.0.1:9/cb");
    }

    @AfterEach
    void leanAgain() {
        tradeEdge.getFilter().setEnabled(true);
    }

    private record Sent(String what, String method, String path, Map<String, String> headers, byte[] body) {}

    private static Sent json(String what, String path, String body) {
        return new Sent(what, "POST", path, Map.of("Content-Type", "application/json"), bytes(body));
    }

    private static Sent with(Sent sent, String header, String value) {
        Map<String, String> headers = new LinkedHashMap<>(sent.headers());
        headers.put(header, value);
        return new Sent(sent.what() + ", " + header + ": " + value, sent.method(), sent.path(), headers, sent.body());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String lockBody(String user, long activityId) {
        return "{\"userId\":\"" + user + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    private static String settleBody(String user) {
        return "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + user + "\",\"outTradeNo\":\"out-" + user
                + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";
    }

    private static String refundBody(String user) {
        return "{\"userId\":\"" + user + "\",\"outTradeNo\":\"out-" + user
                + "\",\"source\":\"s01\",\"channel\":\"c01\"}";
    }

    /** Requests whose answer does not depend on what ran before them (refusals, and repeats of a done lock). */
    private List<Sent> table() {
        String huge = "x".repeat(70 * 1024);
        List<Sent> table = new ArrayList<>(List.of(
                json(
                        "wrong type (number for text)",
                        LOCK,
                        lockBody("t1", activity).replace("\"t1\"", "1")),
                json(
                        "wrong type (text for number)",
                        LOCK,
                        lockBody("t2", activity).replace(":" + activity + ",", ":\"" + activity + "\",")),
                json(
                        "fraction for a whole number",
                        LOCK,
                        lockBody("t3", activity).replace(":" + activity + ",", ":" + activity + ".5,")),
                json("boolean for text", SETTLE, settleBody("t4").replace("\"s01\"", "true")),
                json("unknown field, unknown activity", LOCK, lockBody("t5", 1).replace("{", "{\"extra\":[1,{}],")),
                json("duplicate key", LOCK, lockBody("t6", activity).replace("{", "{\"userId\":\"dup\",")),
                json("missing body", LOCK, ""),
                json("missing body (settle)", SETTLE, ""),
                json("JSON null", REFUND, "null"),
                json("JSON array", LOCK, "[]"),
                json("JSON string", SETTLE, "\"x\""),
                json("broken JSON", LOCK, "{\"userId\":"),
                json("not JSON", REFUND, "userId=1"),
                json("trailing garbage", REFUND, refundBody("t7") + "}}"),
                json("empty object", LOCK, "{}"),
                json("missing field", SETTLE, settleBody("t8").replace("\"userId\":\"t8\",", "")),
                json("control character", LOCK, lockBody("t9\\u0001", activity)),
                json("overlong field", LOCK, lockBody("u" + "9".repeat(40), activity)),
                json(
                        "out of range number",
                        LOCK,
                        lockBody("t10", activity).replace(":" + activity + ",", ":99999999999999999999999,")),
                json("unknown order (settle)", SETTLE, settleBody("nobody1")),
                json(
                        "bad trade time",
                        SETTLE,
                        settleBody("nobody2")
                                .replaceAll("\"outTradeTime\":\"[^\"]*\"", "\"outTradeTime\":\"yesterday\"")),
                json(
                        "epoch trade time",
                        SETTLE,
                        settleBody("nobody3")
                                .replaceAll("\"outTradeTime\":\"[^\"]*\"", "\"outTradeTime\":1733000000000")),
                json("unknown order (refund)", REFUND, refundBody("nobody4")),
                json("unknown activity", LOCK, lockBody("t11", 1)),
                json(
                        "notify type MQ unknown",
                        LOCK,
                        lockBody("t12", activity)
                                .replace(
                                        "\"notifyUrl\":\"http://127.0.0.1:9/cb\"",
                                        "\"notifyConfigVO\":{\"notifyType\":\"SMS\"}")),
                json("refused notify URL", LOCK, lockBody("t13", activity).replace("127.0.0.1:9", "169.254.169.254")),
                json("oversized body, unsigned", LOCK, lockBody(huge, activity)),
                json("repeat of a done lock", LOCK, lockBody("done1", activity)),
                new Sent("no content type", "POST", LOCK, Map.of(), bytes(lockBody("t14", 1))),
                new Sent("no content type, no body", "POST", LOCK, Map.of(), new byte[0]),
                new Sent("text/plain", "POST", LOCK, Map.of("Content-Type", "text/plain"), bytes(lockBody("t15", 1))),
                new Sent("wildcard type", "POST", SETTLE, Map.of("Content-Type", "*/*"), bytes(settleBody("t16"))),
                new Sent(
                        "ISO-8859-1",
                        "POST",
                        REFUND,
                        Map.of("Content-Type", "application/json;charset=ISO-8859-1"),
                        bytes(refundBody("t17"))),
                new Sent(
                        "UTF-8 named",
                        "POST",
                        REFUND,
                        Map.of("Content-Type", "application/json; charset=utf-8"),
                        bytes(refundBody("t18"))),
                new Sent(
                        "UTF-16 body, no charset",
                        "POST",
                        REFUND,
                        Map.of("Content-Type", "application/json"),
                        refundBody("t19").getBytes(StandardCharsets.UTF_16BE)),
                new Sent(
                        "another parameter",
                        "POST",
                        REFUND,
                        Map.of("Content-Type", "application/json;v=1"),
                        bytes(refundBody("t20"))),
                new Sent("GET", "GET", LOCK, Map.of(), new byte[0]),
                new Sent("HEAD", "HEAD", SETTLE, Map.of(), new byte[0]),
                new Sent("OPTIONS", "OPTIONS", REFUND, Map.of(), new byte[0]),
                new Sent("PUT", "PUT", LOCK, Map.of("Content-Type", "application/json"), bytes(lockBody("t21", 1))),
                new Sent(
                        "path parameter",
                        "POST",
                        LOCK + ";jsessionid=1",
                        Map.of("Content-Type", "application/json"),
                        bytes(lockBody("t22", 1))),
                new Sent(
                        "query string",
                        "POST",
                        LOCK + "?a=1",
                        Map.of("Content-Type", "application/json"),
                        bytes(lockBody("t23", 1))),
                new Sent(
                        "encoded path",
                        "POST",
                        LOCK.replace("lock_", "%6cock_"),
                        Map.of("Content-Type", "application/json"),
                        bytes(lockBody("t24", 1))),
                new Sent(
                        "trailing slash",
                        "POST",
                        LOCK + "/",
                        Map.of("Content-Type", "application/json"),
                        bytes(lockBody("t25", 1)))));
        Sent refusedLock = json("refused lock", LOCK, lockBody("t26", 1));
        for (String accept : new String[] {"text/html", "application/xml", "garbage;;q=x", "*/*"}) {
            table.add(with(refusedLock, "Accept", accept));
        }
        table.add(with(json("repeat of a done lock", LOCK, lockBody("done1", activity)), "Accept", "text/html"));
        table.add(with(refusedLock, "Accept-Language", "zz;q=nope"));
        table.add(with(refusedLock, "webhook-signature", "v1,bm90IGEgc2lnbmF0dXJl"));
        table.add(with(with(refusedLock, "webhook-id", "id1"), "webhook-signature", "garbage"));
        table.add(with(json("oversized body", SETTLE, settleBody(huge)), "webhook-signature", "v1,x"));
        table.add(with(
                json("bad source", SETTLE, settleBody("t27").replace("\"s01\"", "\"  \"")),
                "webhook-signature",
                "v1,x"));
        return table;
    }

    @Test
    void everyTradeRequestGetsSpringsAnswerByteForByte() throws Exception {
        assertThat(mall.lock("done1", "").path("code").asText()).isEqualTo("0000");
        for (Sent sent : table()) {
            tradeEdge.getFilter().setEnabled(true);
            int dispatched = DispatchCount.DISPATCHED.get();
            Answer lean = send(sent);
            boolean servedLean = "POST".equals(sent.method())
                    && List.of(TradeEdgeFilter.paths()).contains(sent.path())
                    && List.of("application/json", "application/json; charset=utf-8")
                            .contains(sent.headers().getOrDefault("Content-Type", ""));
            if (servedLean) {
                assertThat(DispatchCount.DISPATCHED.get())
                        .as(sent.what() + " served lean")
                        .isEqualTo(dispatched);
            }
            tradeEdge.getFilter().setEnabled(false);
            Answer spring = send(sent);

            assertThat(lean.status())
                    .as(sent.what() + ": " + lean + " vs " + spring)
                    .isEqualTo(spring.status());
            assertThat(withoutDate(lean)).as(sent.what()).isEqualTo(withoutDate(spring));
            assertThat(lean.body()).as(sent.what()).isEqualTo(spring.body());
            assertFramedByLength(sent.what() + " (lean)", lean);
            assertFramedByLength(sent.what() + " (Spring's path)", spring);
        }
    }

    /**
     * #19: an answer of at most 8 KB goes with its {@code Content-Length}, never chunked (a chunked answer costs a
     * socket write more, its last chunk), on both paths, refusals and the container's answers included, to a
     * keep-alive client as to one that closes.
     */
    @Test
    void smallAnswersAreFramedByTheirLength() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        for (boolean leanPath : new boolean[] {true, false}) {
            tradeEdge.getFilter().setEnabled(leanPath);
            String on = leanPath ? " (lean)" : " (Spring's path)";
            Answer lock = framed("new lock" + on, 200, "POST", LOCK, json, lockBody("framed-" + leanPath, activity));
            assertThat(lock.body()).contains("\"code\":\"0000\"");
            framed("broken JSON" + on, 400, "POST", LOCK, json, "{\"userId\":");
            framed("unknown order" + on, 200, "POST", SETTLE, json, settleBody("framed-nobody"));
            framed("missing body" + on, 400, "POST", REFUND, json, "");
            framed(
                    "refused lock, Accept: text/html" + on,
                    200,
                    "POST",
                    LOCK,
                    Map.of("Content-Type", "application/json", "Accept", "text/html"),
                    lockBody("framed-refused", 1));
        }
        framed("unknown path", 404, "GET", "/api/v1/gbm/nowhere", Map.of("Accept", "text/html"), "");
        framed("unknown path, POST", 404, "POST", "/nowhere", json, "{}");
        framed("PUT", 405, "PUT", LOCK, json, lockBody("framed-put", 1));
        framed("text/plain", 415, "POST", LOCK, Map.of("Content-Type", "text/plain"), lockBody("framed-text", 1));
        framed("unusable type", 415, "POST", LOCK, Map.of("Content-Type", "nonsense"), "{}");
        framed("OPTIONS", 405, "OPTIONS", REFUND, Map.of(), "");
    }

    private Answer framed(String what, int status, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        Answer answer = RawHttp.sendKeepingAlive(port, method, path, headers, bytes(body));
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(status);
        assertThat(answer.body()).as(what).startsWith("{\"code\":");
        assertFramedByLength(what, answer);
        return answer;
    }

    private static void assertFramedByLength(String what, Answer answer) {
        int bytes = answer.body().getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > 8 * 1024) {
            return;
        }
        assertThat(answer.headers()).as(what + ": " + answer).doesNotContainKey("transfer-encoding");
        assertThat(answer.headers().get("content-length"))
                .as(what + ": " + answer)
                .isEqualTo(Integer.toString(bytes));
    }

    /** Valid signatures are good once (their webhook-id is remembered), so each path gets a request signed anew. */
    @Test
    void aSignedRequestGetsSpringsAnswer() throws Exception {
        String body = refundBody("signed1");
        tradeEdge.getFilter().setEnabled(true);
        Answer lean = RawHttp.send(port, "POST", REFUND, signed(body), bytes(body));
        tradeEdge.getFilter().setEnabled(false);
        Answer spring = RawHttp.send(port, "POST", REFUND, signed(body), bytes(body));

        assertThat(lean.status()).isEqualTo(spring.status()).isEqualTo(200);
        assertThat(withoutDate(lean)).isEqualTo(withoutDate(spring));
        assertThat(lean.body()).isEqualTo(spring.body());
    }

    @Test
    void aNewLockAnswersTheSameEnvelopeOnBothPaths() throws Exception {
        tradeEdge.getFilter().setEnabled(true);
        int dispatched = DispatchCount.DISPATCHED.get();
        Answer lean = send(json("lock", LOCK, lockBody("new1", activity)));
        assertThat(DispatchCount.DISPATCHED.get())
                .as("the lean path never reaches Spring MVC")
                .isEqualTo(dispatched);
        tradeEdge.getFilter().setEnabled(false);
        Answer spring = send(json("lock", LOCK, lockBody("new2", activity)));
        assertThat(DispatchCount.DISPATCHED.get()).as("Spring's path").isEqualTo(dispatched + 1);

        assertThat(lean.status()).isEqualTo(spring.status()).isEqualTo(200);
        assertThat(withoutDate(lean)).isEqualTo(withoutDate(spring));
        assertThat(lean.body().replaceAll("\"(orderId|teamId)\":\"\\w+\"", "\"$1\":\"?\""))
                .contains("\"code\":\"0000\"")
                .isEqualTo(spring.body().replaceAll("\"(orderId|teamId)\":\"\\w+\"", "\"$1\":\"?\""));
    }

    /**
     * The signature switch is judged on its value once the body is in, on both paths: a lock whose pair an operator
     * requires to sign while the lock's unsigned body is still arriving is refused (401 E0207) and writes nothing.
     * Before, its body was not kept (no pair had to sign when it began) and the lock was taken unsigned.
     */
    @Test
    void anUnsignedLockWhosePairMustSignByTheTimeItsBodyIsInIsRefused() throws Exception {
        for (boolean lean : new boolean[] {true, false}) {
            tradeEdge.getFilter().setEnabled(lean);
            String user = "mid-body-" + lean;
            byte[] body = bytes(lockBody(user, activity));
            int half = body.length / 2;
            String answer;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + LOCK + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, 0, half);
                out.flush();
                TestJson.await(TradeEdgeFilterIT::aBodyIsBeingRead);
                switches.change("signatureRequiredFor", "s01:c01", "it", "127.0.0.1");
                try {
                    out.write(body, half, body.length - half);
                    out.flush();
                    answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    switches.change("signatureRequiredFor", "", "it", "127.0.0.1");
                }
            }
            assertThat(answer)
                    .as("lean path " + lean)
                    .startsWith("HTTP/1.1 401 ")
                    .contains("\"code\":\"E0207\"");
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ?", Integer.class, user))
                    .as("lean path " + lean)
                    .isZero();
        }
    }

    /** A request thread is inside the body's read (its headers in, its body not yet whole). */
    private static boolean aBodyIsBeingRead() {
        return Thread.getAllStackTraces().values().stream()
                .flatMap(Arrays::stream)
                .anyMatch(frame -> frame.getClassName().equals(StrictJsonReader.class.getName())
                        && frame.getMethodName().equals("read"));
    }

    private Answer send(Sent sent) throws Exception {
        return RawHttp.send(port, sent.method(), sent.path(), sent.headers(), sent.body());
    }

    private static Map<String, String> withoutDate(Answer answer) {
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.remove("date");
        return headers;
    }

    private static Map<String, String> signed(String body) {
        long now = Instant.now().getEpochSecond();
        String id = "req_" + UUID.randomUUID();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(now));
        headers.put("webhook-signature", WebhookSignature.sign("test_secret", id, now, body));
        return headers;
    }
}
