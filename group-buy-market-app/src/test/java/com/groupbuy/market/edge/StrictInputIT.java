package com.groupbuy.market.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Input is taken exactly as written or refused with 0002 naming the field, and a refusal writes nothing: JSON values
 * of the wrong type are never coerced (a number is not text, text is not a number), trade times are real calendar
 * times in ASCII digits, and ids holding characters that cannot be stored as sent (a lone UTF-16 surrogate, control
 * characters) are refused rather than stored as {@code ?}.
 */
@SharedContextIntegrationTest
class StrictInputIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(61000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private TradeClient mall;
    private long activityId;

    @BeforeEach
    void setUp() {
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/cb");
    }

    @Test
    void jsonValuesOfTheWrongTypeAreRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
        String teamId = mall.team("w1");
        List<String> hostile = List.of("1", "true", "[\"s01\"]", "{\"v\":\"s01\"}", "1.5");
        long written = rows();

        for (String value : hostile) {
            for (String field : List.of("source", "channel", "userId", "outTradeNo")) {
                assertRefused(
                        SETTLE,
                        settleBody("w1", TradeClient.now())
                                .replace(
                                        "\"" + field + "\":\"" + valueOf(field, "w1") + "\"",
                                        "\"" + field + "\":" + value),
                        field);
                assertRefused(
                        REFUND,
                        refundBody("w1")
                                .replace(
                                        "\"" + field + "\":\"" + valueOf(field, "w1") + "\"",
                                        "\"" + field + "\":" + value),
                        field);
            }
            assertRefused(
                    LOCK,
                    lockBody("w2", teamId).replace("\"goodsId\":\"g" + activityId + "\"", "\"goodsId\":" + value),
                    "goodsId");
            assertRefused(
                    LOCK,
                    lockBody("w2", teamId).replace("\"teamId\":\"" + teamId + "\"", "\"teamId\":" + value),
                    "teamId");
            assertRefused(
                    TRIAL,
                    "{\"userId\":" + value + ",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + activityId
                            + "\"}",
                    "userId");
        }
        for (String number : List.of(
                "\"" + activityId + "\"", "true", String.valueOf(activityId) + ".0", "\"\"", "[" + activityId + "]")) {
            assertRefused(
                    LOCK,
                    lockBody("w2", teamId).replace("\"activityId\":" + activityId, "\"activityId\":" + number),
                    "activityId");
        }
        for (String value : List.of("true", "[\"" + TradeClient.now() + "\"]", "{}", "1.7e12")) {
            assertRefused(
                    SETTLE,
                    settleBody("w1", "").replace("\"outTradeTime\":\"\"", "\"outTradeTime\":" + value),
                    "outTradeTime");
        }
        assertRefused(
                SETTLE,
                "{\"source\":\"s01\",\"source\":\"s02\",\"channel\":\"c01\",\"userId\":\"w1\","
                        + "\"outTradeNo\":\"out-w1\",\"outTradeTime\":\"" + TradeClient.now() + "\"}",
                "source");

        assertThat(rows()).as("nothing written by a refused request").isEqualTo(written);
        assertThat(status("out-w1")).as("the order is still only locked").isZero();
    }

    /**
     * A JSON text is one value: a body with anything but whitespace after its object (a second object, a stray
     * brace, a word) is not JSON, so it is 400 {@code 0002} and nothing is done with the object in front, on the lean
     * trade path and on Spring's (the trial) alike. Jackson by default stops reading after the first value and would
     * act on it, so the mall and we could read different requests out of one body.
     */
    @Test
    void aBodyWithAnythingAfterItsJsonValueIsNotJsonAndNothingIsWritten() throws Exception {
        String teamId = mall.team("j1");
        long written = rows();
        String cut = cutShort(LOCK, lockBody("j40", ""));
        assertThat(cut).as("a body cut short after a whole object").startsWith("HTTP/1.1 400 ");
        assertThat(cut).contains("{\"code\":\"0002\",");
        List<String> tails = List.of("}", "]", " garbage", "{\"userId\":\"j9\"}", " 1", "\"x\"", "null", "[]");
        int n = 0;
        for (String tail : tails) {
            n++;
            assertNotJson(LOCK, lockBody("j" + (10 + n), teamId) + tail);
            assertNotJson(LOCK, lockBody("k" + n, "") + "\n" + tail);
            assertNotJson(SETTLE, settleBody("j1", TradeClient.now()) + tail);
            assertNotJson(REFUND, refundBody("j1") + tail);
            assertNotJson(
                    TRIAL,
                    "{\"userId\":\"j1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + activityId + "\"}"
                            + tail);
        }
        assertThat(rows()).as("nothing written for a body that is not JSON").isEqualTo(written);
        assertThat(status("out-j1"))
                .as("the order is neither paid nor refunded")
                .isZero();
        assertThat(TestJson.postEnvelope(port, LOCK, lockBody("j30", teamId) + " \r\n\t ")
                        .path("code")
                        .asText())
                .as("whitespace after the object is still JSON")
                .isEqualTo("0000");
    }

    /**
     * Ids are taken as sent: a leading or trailing space makes another id over HTTP too (the edge used to trim, so
     * {@code "userId":"e1 "} settled and refunded user {@code e1}'s order and {@code "s01 "} acted as partner s01).
     */
    @Test
    void anIdIsTakenExactlyAsSentSpacesIncluded() throws Exception {
        String teamId = mall.team("e1");
        long written = rows();
        for (String body : List.of(
                settleBody("e1", TradeClient.now()).replace("\"userId\":\"e1\"", "\"userId\":\"e1 \""),
                settleBody("e1", TradeClient.now()).replace("\"userId\":\"e1\"", "\"userId\":\" e1\""),
                settleBody("e1", TradeClient.now()).replace("\"out-e1\"", "\"out-e1 \""),
                settleBody("e1", TradeClient.now()).replace("\"source\":\"s01\"", "\"source\":\"s01 \""),
                settleBody("e1", TradeClient.now()).replace("\"channel\":\"c01\"", "\"channel\":\" c01\""))) {
            assertThat(TestJson.postEnvelope(port, SETTLE, body).path("code").asText())
                    .as(body)
                    .isEqualTo("E0104");
        }
        for (String body : List.of(
                refundBody("e1").replace("\"userId\":\"e1\"", "\"userId\":\"e1 \""),
                refundBody("e1").replace("\"out-e1\"", "\" out-e1\""),
                refundBody("e1").replace("\"source\":\"s01\"", "\"source\":\"s01 \""))) {
            assertThat(TestJson.postEnvelope(port, REFUND, body).path("code").asText())
                    .as(body)
                    .isEqualTo("E0104");
        }
        // A team id is 8 characters: with a space it is too long (0002) rather than another, unknown team.
        assertRefused(LOCK, lockBody("e2", teamId).replace("\"" + teamId + "\"", "\"" + teamId + " \""), "teamId");
        assertThat(TestJson.postEnvelope(
                                port, LOCK, lockBody("e3", "").replace("\"source\":\"s01\"", "\"source\":\"s01 \""))
                        .path("code")
                        .asText())
                .as("the goods mapping of 's01' is not that of 's01 '")
                .isEqualTo("E0002");
        assertThat(rows()).as("nothing written").isEqualTo(written);
        assertThat(status("out-e1"))
                .as("user e1's order is neither paid nor refunded")
                .isZero();
    }

    /**
     * A trade request is a few hundred bytes; a body past 64 KiB is refused before it is read whole (unsigned bodies
     * were read to the end, a 25 MB unknown field included, and the lock written), and nothing is written.
     */
    @Test
    void aBodyLargerThan64KibIsRefusedAndNothingIsWritten() throws Exception {
        String teamId = mall.team("b1");
        long written = rows();
        String padding = ",\"note\":\"" + "x".repeat(64 * 1024) + "\"}";
        for (String body : List.of(
                lockBody("b2", teamId).replaceFirst("}$", padding),
                lockBody("b3", "").replaceFirst("}$", padding),
                settleBody("b1", TradeClient.now()).replaceFirst("}$", padding),
                refundBody("b1").replaceFirst("}$", padding))) {
            String path = body.contains("notifyUrl") ? LOCK : body.contains("outTradeTime") ? SETTLE : REFUND;
            HttpResponse<String> answer = TestJson.post(port, path, body);
            assertThat(answer.statusCode()).as(path + " -> " + answer.body()).isEqualTo(200);
            JsonNode envelope = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(envelope)).as(answer.body()).containsExactly("code", "info", "data");
            assertThat(envelope.path("code").asText())
                    .as(path + " -> " + answer.body())
                    .isEqualTo("0002");
            assertThat(envelope.path("info").asText()).as(answer.body()).contains("larger than 64 KiB");
        }
        assertThat(rows()).as("nothing written for a body past the limit").isEqualTo(written);
        assertThat(status("out-b1"))
                .as("the order is neither paid nor refunded")
                .isZero();
        assertThat(TestJson.postEnvelope(
                                port,
                                LOCK,
                                lockBody("b4", teamId)
                                        .replaceFirst("}$", ",\"note\":\"" + "x".repeat(60 * 1024) + "\"}"))
                        .path("code")
                        .asText())
                .as("a body under the limit with an unknown field is read as before")
                .isEqualTo("0000");
    }

    /**
     * A body is read in the charset its {@code Content-Type} names (UTF-8 when it names none), and only in that one.
     * Spring's converter let Jackson guess the encoding of any Unicode body from its first bytes, after the body had
     * been checked as text in the named one: UTF-8 bytes named {@code charset=UTF-16} (valid UTF-16, checked as such)
     * were read as UTF-8, overlong {@code C1 B5} for {@code u} included, and locked the user {@code uc1}; UTF-16LE named
     * UTF-16BE and UTF-16 named nothing were locked too. Each is 400 {@code 0002}, nothing written; a body in the
     * charset it names is read as before.
     */
    @Test
    void aBodyIsReadInTheCharsetItsContentTypeNamesAndNoOther() throws Exception {
        long written = rows();
        ByteArrayOutputStream overlong = new ByteArrayOutputStream();
        overlong.writeBytes("{\"userId\":\"".getBytes(StandardCharsets.UTF_8));
        overlong.write(0xC1);
        overlong.write(0xB5);
        overlong.writeBytes(
                lockBody("c1", "").substring("{\"userId\":\"".length()).getBytes(StandardCharsets.UTF_8));
        if (overlong.size() % 2 == 1) {
            overlong.write(' ');
        }
        assertNotText("UTF-8 with an overlong form, named UTF-16", "application/json;charset=UTF-16", overlong);
        assertNotText(
                "UTF-16LE named UTF-16BE",
                "application/json;charset=UTF-16BE",
                lockBody("c2", "").getBytes(StandardCharsets.UTF_16LE));
        assertNotText(
                "UTF-16BE named nothing (UTF-8)",
                "application/json",
                lockBody("c3", "").getBytes(StandardCharsets.UTF_16BE));
        assertNotText(
                "UTF-16 named UTF-8",
                "application/json;charset=UTF-8",
                settleBody("c3", TradeClient.now()).getBytes(StandardCharsets.UTF_16));
        assertThat(rows())
                .as("nothing written for a body not text in its charset")
                .isEqualTo(written);

        for (String charset : List.of("UTF-16", "UTF-16LE", "ISO-8859-1")) {
            String user = "c\u00e9" + charset.replace("-", "");
            RawHttp.Answer read = RawHttp.send(
                    port,
                    "POST",
                    LOCK,
                    Map.of("Content-Type", "application/json;charset=" + charset),
                    lockBody(user, "").getBytes(charset));
            assertThat(read.status()).as(charset + " -> " + read.body()).isEqualTo(200);
            assertThat(TestJson.JSON.readTree(read.body()).path("code").asText())
                    .as(charset + " -> " + read.body())
                    .isEqualTo("0000");
            assertThat(jdbc.queryForObject(
                            "SELECT user_id FROM group_buy_order_list WHERE out_trade_no = ?",
                            String.class,
                            "out-" + user))
                    .isEqualTo(user);
        }
    }

    /**
     * A body is read as it comes, so one that says it comes in another form is refused 415 {@code 0002} before it is
     * read, on the lean trade path and on Spring's alike, and nothing is written: a {@code Content-Encoding} (a plain
     * JSON body labelled gzip was locked; a real gzip body answered 400 as broken JSON) or two {@code Content-Type}
     * headers (the first was read, {@code text/plain} after it unseen), or one naming its {@code charset} twice (the
     * last was read: a UTF-8 body named {@code charset=UTF-16;charset=UTF-8} was locked on the lean path). {@code
     * identity} is no encoding at all.
     */
    @Test
    void aBodyInAnotherFormThanItIsReadInIsRefusedBeforeItIsRead() throws Exception {
        long written = rows();
        byte[] plain = lockBody("z1", "").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(plain);
        }
        for (String target : List.of(LOCK, TRIAL)) {
            for (String contentType : List.of("application/json", "application/json;charset=ISO-8859-1")) {
                assertUnsupported(target, "Content-Type: " + contentType + "\r\nContent-Encoding: gzip", plain);
                assertUnsupported(
                        target, "Content-Type: " + contentType + "\r\nContent-Encoding: gzip", gzipped.toByteArray());
                assertUnsupported(target, "Content-Type: " + contentType + "\r\nContent-Encoding: identity, br", plain);
                assertUnsupported(target, "Content-Type: " + contentType + "\r\nContent-Type: text/plain", plain);
            }
            for (String contentType : List.of(
                    "application/json;charset=UTF-16;charset=UTF-8",
                    "application/json;charset=UTF-8;charset=UTF-16",
                    "application/json; charset=UTF-8; Charset=utf-8")) {
                assertUnsupported(target, "Content-Type: " + contentType, plain);
            }
        }
        assertThat(rows()).as("nothing written for a body in another form").isEqualTo(written);

        RawHttp.Answer identity = RawHttp.sendRaw(
                port, request(LOCK, "Content-Type: application/json\r\nContent-Encoding: identity", plain));
        assertThat(identity.status()).as(identity.body()).isEqualTo(200);
        assertThat(TestJson.JSON.readTree(identity.body()).path("code").asText())
                .as(identity.body())
                .isEqualTo("0000");
    }

    /**
     * JSON is the only body we read. Spring adds a reader for each Jackson data format on the class path, and YAML's
     * is (springdoc's swagger-core brings it): a lock sent as {@code application/yaml} was read by a lenient mapper
     * past every rule of the strict JSON reader, and {@code activityId: "100"}, {@code userId: true} and a
     * {@code userId} given twice (its last value taken) were all locked. Now 415 {@code 0002}, nothing written.
     */
    @Test
    void aBodyInYamlIsNotReadAndNothingIsWritten() throws Exception {
        long written = rows();
        String yaml = "userId: y1\noutTradeNo: out-y1\nactivityId: \"" + activityId + "\"\ngoodsId: g" + activityId
                + "\nsource: s01\nchannel: c01\nnotifyUrl: http://127.0.0.1:9/cb\n";
        for (String body : List.of(
                yaml,
                yaml.replace("\"" + activityId + "\"", String.valueOf(activityId))
                        .replace("y1\n", "true\n"),
                yaml.replace("\"" + activityId + "\"", String.valueOf(activityId)) + "userId: y2\n")) {
            for (String target : List.of(LOCK, TRIAL)) {
                for (String type : List.of("application/yaml", "application/yaml;charset=UTF-8")) {
                    assertUnsupported(target, "Content-Type: " + type, body.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(rows()).as("nothing written for a body in YAML").isEqualTo(written);
    }

    private void assertUnsupported(String target, String headers, byte[] body) throws Exception {
        RawHttp.Answer answer = RawHttp.sendRaw(port, request(target, headers, body));
        String what = headers.replace("\r\n", " | ") + " to " + target + " -> " + answer.body();
        assertThat(answer.status()).as(what).isEqualTo(415);
        JsonNode envelope = TestJson.JSON.readTree(answer.body());
        assertThat(TestJson.fields(envelope)).as(what).containsExactly("code", "info", "data");
        assertThat(envelope.path("code").asText()).as(what).isEqualTo("0002");
    }

    private static byte[] request(String target, String headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return request.toByteArray();
    }

    private void assertNotText(String what, String contentType, ByteArrayOutputStream body) throws Exception {
        assertNotText(what, contentType, body.toByteArray());
    }

    private void assertNotText(String what, String contentType, byte[] body) throws Exception {
        String path = new String(body, StandardCharsets.ISO_8859_1).contains("outTradeTime") ? SETTLE : LOCK;
        for (String target : path.equals(LOCK) ? List.of(LOCK, TRIAL) : List.of(SETTLE)) {
            RawHttp.Answer answer = RawHttp.send(port, "POST", target, Map.of("Content-Type", contentType), body);
            assertThat(answer.status())
                    .as(what + " to " + target + " -> " + answer.body())
                    .isEqualTo(400);
            JsonNode envelope = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(envelope)).as(answer.body()).containsExactly("code", "info", "data");
            assertThat(envelope.path("code").asText()).as(answer.body()).isEqualTo("0002");
            assertThat(envelope.path("info").asText()).as(answer.body()).contains("not valid JSON");
        }
    }

    /** Sends a whole object but promises 10 bytes more, then stops sending: the answer as text. */
    private String cutShort(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + (bytes.length + 10) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertNotJson(String path, String body) throws Exception {
        HttpResponse<String> answer = TestJson.post(port, path, body);
        assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(400);
        JsonNode envelope = TestJson.JSON.readTree(answer.body());
        assertThat(TestJson.fields(envelope)).as(answer.body()).containsExactly("code", "info", "data");
        assertThat(envelope.path("code").asText()).as(answer.body()).isEqualTo("0002");
        assertThat(envelope.path("info").asText()).as(answer.body()).contains("not valid JSON");
    }

    @Test
    void aTradeTimeIsARealCalendarTimeInAsciiDigitsOrEpochMillisecondsGivenAsANumber() throws Exception {
        mall.team("t1");
        String now = TradeClient.now();
        String fullWidth = now.chars()
                .mapToObj(c -> c >= '0' && c <= '9' ? String.valueOf((char) (c - '0' + '０')) : String.valueOf((char) c))
                .reduce("", String::concat);
        String fullWidthEpoch = String.valueOf(System.currentTimeMillis())
                .chars()
                .mapToObj(c -> String.valueOf((char) (c - '0' + '０')))
                .reduce("", String::concat);
        String arabicIndicEpoch = String.valueOf(System.currentTimeMillis())
                .chars()
                .mapToObj(c -> String.valueOf((char) (c - '0' + '\u0660')))
                .reduce("", String::concat);

        for (String refused : List.of(
                "2026-02-30 10:00:00",
                now.substring(0, 10) + " 24:00:00",
                now.substring(0, 10) + " 23:60:00",
                fullWidth,
                fullWidthEpoch,
                arabicIndicEpoch,
                "2026-2-3 10:00:00",
                "99999999999999999999")) {
            assertRefused(SETTLE, settleBody("t1", refused), "outTradeTime");
        }
        assertThat(status("out-t1")).as("refused times paid nothing").isZero();

        JsonNode paid = TestJson.postEnvelope(
                port,
                SETTLE,
                settleBody("t1", "")
                        .replace("\"outTradeTime\":\"\"", "\"outTradeTime\":" + System.currentTimeMillis()));
        assertThat(paid.path("code").asText())
                .as("epoch milliseconds as a JSON number: " + paid)
                .isEqualTo("0000");
        assertThat(status("out-t1")).isEqualTo(1);
    }

    @Test
    void anIdWithALoneSurrogateOrAControlCharacterIsRefusedAndNeverStored() throws Exception {
        long written = rows();
        for (String bad :
                List.of("\\ud800", "\\udc00x", "a\\ud83d", "\\u0000", "u\\u0007", "x\\u007f", "\\u0085y", "u\\ufffe")) {
            assertRefused(LOCK, lockBody("s" + bad, ""), "userId");
            assertRefused(
                    LOCK,
                    lockBody("s1", "").replace("\"outTradeNo\":\"out-s1\"", "\"outTradeNo\":\"o" + bad + "\""),
                    "outTradeNo");
            assertRefused(
                    LOCK,
                    lockBody("s1", "").replace("\"goodsId\":\"g" + activityId + "\"", "\"goodsId\":\"g" + bad + "\""),
                    "goodsId");
            assertRefused(LOCK, lockBody("s1", "1" + bad), "teamId");
            assertRefused(LOCK, lockBody("s1", "").replace("/cb\"", "/c" + bad + "\""), "notifyUrl");
            assertRefused(REFUND, refundBody("s1").replace("\"out-s1\"", "\"out" + bad + "\""), "outTradeNo");
            assertRefused(SETTLE, settleBody("s" + bad, TradeClient.now()), "userId");
            assertRefused(
                    TRIAL,
                    "{\"userId\":\"u" + bad + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + activityId
                            + "\"}",
                    "userId");
        }
        assertThat(rows()).isEqualTo(written);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id LIKE '%?%' "
                                + "OR out_trade_no LIKE '%?%'",
                        Long.class))
                .isZero();

        JsonNode paired = TestJson.postEnvelope(port, LOCK, lockBody("s\\ud83d\\ude00", ""));
        assertThat(paired.path("code").asText())
                .as("a surrogate pair is a real character: " + paired)
                .isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT user_id FROM group_buy_order_list WHERE activity_id = ?", String.class, activityId))
                .isEqualTo("s\uD83D\uDE00");
    }

    private void assertRefused(String path, String body, String field) throws Exception {
        JsonNode answer = TestJson.postEnvelope(port, path, body);
        assertThat(answer.path("code").asText()).as(body + " -> " + answer).isEqualTo("0002");
        assertThat(answer.path("info").asText()).as(body + " -> " + answer).contains(field);
    }

    private long rows() {
        return jdbc.queryForObject(
                "SELECT (SELECT COUNT(*) FROM group_buy_order) + (SELECT COUNT(*) FROM "
                        + "group_buy_order_list) + (SELECT COUNT(*) FROM notify_task)",
                Long.class);
    }

    private Integer status(String outTradeNo) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE out_trade_no = ?", Integer.class, outTradeNo);
    }

    private static String valueOf(String field, String userId) {
        return switch (field) {
            case "source" -> "s01";
            case "channel" -> "c01";
            case "userId" -> userId;
            default -> "out-" + userId;
        };
    }

    private String lockBody(String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-"
                + userId + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    private static String settleBody(String userId, String outTradeTime) {
        return "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId
                + "\",\"outTradeTime\":\"" + outTradeTime + "\"}";
    }

    private static String refundBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId + "\",\"source\":\"s01\","
                + "\"channel\":\"c01\"}";
    }
}
