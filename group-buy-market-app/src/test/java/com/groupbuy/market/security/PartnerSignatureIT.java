package com.groupbuy.market.security;

import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Trade requests of a source/channel that must sign: unsigned, wrongly signed or stale settlement and refund are
 * refused with 401 E0207 and change nothing; signed ones work. A pair not required to sign keeps working unsigned
 * (malls of the original platform), but a wrong signature it does send is refused. A signed request is accepted
 * once: sent again with the same {@code webhook-id} it is refused (E0210) and changes nothing. A pair bound to
 * addresses ({@code gbm.trade.partner-addresses}) is refused unsigned from anywhere else, and accepted signed.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.trade.signature.required-for=s01:c01",
            "gbm.notify.secrets.s02.c02=other_secret",
            "gbm.notify.secrets.s03.c03=bound_secret",
            "gbm.trade.partner-addresses.s03.c03=10.0.0.0/8",
            "gbm.trade.partner-addresses.s04.c04=127.0.0.1/32,::1"
        })
class PartnerSignatureIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    private long activityId;
    private String goodsId;

    @BeforeEach
    void setUp() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
    }

    @Test
    void unsignedWronglySignedOrStaleSettlementAndRefundAreRefusedAndChangeNothing() throws Exception {
        assertThat(signed(LOCK, lockBody("a1"), "test_secret", now())
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        String settle = settleBody("a1");
        String refund = "{\"userId\":\"a1\",\"outTradeNo\":\"out-a1\",\"source\":\"s01\",\"channel\":\"c01\"}";

        HttpResponse<String> unsignedSettle = TestJson.post(port, SETTLE, settle);
        HttpResponse<String> unsignedRefund = TestJson.post(port, REFUND, refund);
        HttpResponse<String> wrongSecret = post(SETTLE, settle, "other_secret", now());
        HttpResponse<String> stale = post(REFUND, refund, "test_secret", now() - 600);
        HttpResponse<String> bodyChanged =
                TestJson.post(port, SETTLE, settle.replace("a1", "a2"), headers(settle, "test_secret", now()));

        for (HttpResponse<String> refused :
                new HttpResponse[] {unsignedSettle, unsignedRefund, wrongSecret, stale, bodyChanged}) {
            assertThat(refused.statusCode()).isEqualTo(401);
            JsonNode body = TestJson.JSON.readTree(refused.body());
            assertThat(fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0207");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-a1'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class, activityId))
                .isZero();
    }

    @Test
    void signedLockSettlementAndRefundGoThrough() throws Exception {
        assertThat(signed(LOCK, lockBody("b1"), "test_secret", now())
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(signed(SETTLE, settleBody("b1"), "test_secret", now())
                        .path("code")
                        .asText())
                .isEqualTo("0000");

        JsonNode refund = signed(
                REFUND,
                "{\"userId\":\"b1\",\"outTradeNo\":\"out-b1\",\"source\":\"s01\"," + "\"channel\":\"c01\"}",
                "test_secret",
                now());

        assertThat(refund.path("code").asText()).isEqualTo("0000");
        assertThat(refund.path("data").path("code").asText()).isEqualTo("success");
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-b1'", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void aPairNotRequiredToSignWorksUnsignedButAWrongSignatureIsStillRefused() throws Exception {
        String unknownGoods = "{\"userId\":\"c1\",\"outTradeNo\":\"out-c1\",\"source\":\"s02\",\"channel\":\"c02\"}";

        JsonNode unsigned = TestJson.postEnvelope(port, REFUND, unknownGoods);
        HttpResponse<String> wronglySigned = post(REFUND, unknownGoods, "not_its_secret", now());

        assertThat(unsigned.path("code").asText())
                .as("reached the refund rules")
                .isEqualTo("E0104");
        assertThat(wronglySigned.statusCode()).isEqualTo(401);
        assertThat(signed(REFUND, unknownGoods, "other_secret", now())
                        .path("code")
                        .asText())
                .isEqualTo("E0104");
    }

    @Test
    void aSignedRequestIsAcceptedOnceItsWebhookIdIsSeenAgainItIsRefusedAndChangesNothing() throws Exception {
        Map<String, String> lockHeaders = headers(lockBody("d1"), "test_secret", now());
        assertThat(ok(TestJson.post(port, LOCK, lockBody("d1"), lockHeaders))
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        // The payment's trade time is read after the lock (a time read before it can fall a second before the team's
        // start), and the body is built once, so the signed bytes are the posted bytes.
        String settle = settleBody("d1");
        Map<String, String> settleHeaders = headers(settle, "test_secret", now());
        String refund = "{\"userId\":\"d1\",\"outTradeNo\":\"out-d1\",\"source\":\"s01\",\"channel\":\"c01\"}";
        Map<String, String> refundHeaders = headers(refund, "test_secret", now());
        assertThat(ok(TestJson.post(port, SETTLE, settle, settleHeaders))
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(ok(TestJson.post(port, REFUND, refund, refundHeaders))
                        .path("data")
                        .path("code")
                        .asText())
                .isEqualTo("success");
        int tasks = jdbc.queryForObject("SELECT COUNT(*) FROM notify_task", Integer.class);
        int members = jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class);

        // The payment notice replayed after the refund, and the lock replayed: the same bytes, the same headers.
        for (HttpResponse<String> replay : List.of(
                TestJson.post(port, SETTLE, settle, settleHeaders),
                TestJson.post(port, LOCK, lockBody("d1"), lockHeaders),
                TestJson.post(port, REFUND, refund, refundHeaders))) {
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
            JsonNode body = TestJson.JSON.readTree(replay.body());
            assertThat(fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0210");
        }

        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-d1'", Integer.class))
                .as("still refunded")
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task", Integer.class))
                .isEqualTo(tasks);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class))
                .isEqualTo(members);
        long ttl = redisson.getBucket(keyPrefix + "webhook-id:s01:c01:" + settleHeaders.get("webhook-id"))
                .remainTimeToLive();
        assertThat(ttl)
                .as("remembered in Redis for the tolerance window, shared by instances")
                .isBetween(1L, 600_000L);
    }

    @Test
    void aRefusedSignatureDoesNotUseUpItsWebhookId() throws Exception {
        assertThat(signed(LOCK, lockBody("e1"), "test_secret", now())
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        String settle = settleBody("e1");
        Map<String, String> good = headers(settle, "test_secret", now());
        Map<String, String> forged = new java.util.HashMap<>(good);
        forged.put("webhook-signature", WebhookSignature.sign("not_its_secret", good.get("webhook-id"), now(), settle));

        assertThat(TestJson.post(port, SETTLE, settle, forged).statusCode()).isEqualTo(401);
        assertThat(ok(TestJson.post(port, SETTLE, settle, good)).path("code").asText())
                .isEqualTo("0000");
    }

    @Test
    void aBodyTooLargeToBeATradeRequestIsRefusedBeforeItIsHeldForTheSignature() throws Exception {
        String huge = settleBody("g1").replace("{", "{\"pad\":\"" + "x".repeat(70_000) + "\",");

        JsonNode refused = ok(post(SETTLE, huge, "test_secret", now()));

        assertThat(refused.path("code").asText()).isEqualTo("0002");
        assertThat(refused.path("info").asText()).contains("64 KiB");
    }

    @Test
    void aPairBoundElsewhereIsRefusedUnsignedFromHereAndChangesNothingButSignedItIsAccepted() throws Exception {
        // s03:c03 is bound to 10.0.0.0/8; this test calls from 127.0.0.1 (or ::1).
        soldThrough("s03", "c03");
        String lock = lockBody("h1", "s03", "c03");
        String refund = "{\"userId\":\"h1\",\"outTradeNo\":\"out-h1\",\"source\":\"s03\",\"channel\":\"c03\"}";
        String trial = "{\"userId\":\"h1\",\"source\":\"s03\",\"channel\":\"c03\",\"goodsId\":\"" + goodsId + "\"}";

        assertRefused(TestJson.post(port, LOCK, lock));
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no = 'out-h1'", Integer.class))
                .isZero();
        assertThat(signed(LOCK, lock, "bound_secret", now()).path("code").asText())
                .isEqualTo("0000");
        // The payment's trade time is read after the lock, and the body is built once: signed bytes = posted bytes.
        String settle = settleBody("h1", "s03", "c03");
        assertRefused(TestJson.post(port, SETTLE, settle));
        assertRefused(TestJson.post(port, REFUND, refund));
        assertRefused(TestJson.post(port, TRIAL, trial));
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-h1'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class, activityId))
                .isZero();

        assertThat(signed(SETTLE, settle, "bound_secret", now()).path("code").asText())
                .isEqualTo("0000");
        assertThat(signed(TRIAL, trial, "bound_secret", now()).path("code").asText())
                .isEqualTo("0000");
    }

    @Test
    void aPairBoundToThisAddressWorksUnsigned() throws Exception {
        // s04:c04 is bound to 127.0.0.1/32 and ::1, where this test calls from.
        soldThrough("s04", "c04");
        assertThat(TestJson.postEnvelope(port, LOCK, lockBody("i1", "s04", "c04"))
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(TestJson.postEnvelope(port, SETTLE, settleBody("i1", "s04", "c04"))
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-i1'", Integer.class))
                .isEqualTo(1);
    }

    /** The test's goods sold through another source/channel too (the fixture sells it through s01/c01). */
    private void soldThrough(String source, String channel) {
        new MarketConfigFixture(jdbc).soldThrough(source, channel, goodsId, activityId);
    }

    private static void assertRefused(HttpResponse<String> refused) throws Exception {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        JsonNode body = TestJson.JSON.readTree(refused.body());
        assertThat(fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("E0207");
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestJson.JSON.readTree(response.body());
    }

    private String lockBody(String userId) {
        return lockBody(userId, "s01", "c01");
    }

    private String lockBody(String userId, String source, String channel) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\""
                + goodsId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":\"out-"
                + userId + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    private static String settleBody(String userId) {
        return settleBody(userId, "s01", "c01");
    }

    private static String settleBody(String userId, String source, String channel) {
        return "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + userId
                + "\",\"outTradeNo\":\"out-" + userId + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";
    }

    private JsonNode signed(String path, String body, String secret, long timestamp) throws Exception {
        HttpResponse<String> response = post(path, body, secret, timestamp);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestJson.JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body, String secret, long timestamp) throws Exception {
        return TestJson.post(port, path, body, headers(body, secret, timestamp));
    }

    private static Map<String, String> headers(String body, String secret, long timestamp) {
        String id = "req_" + UUID.randomUUID();
        return Map.of(
                "webhook-id",
                id,
                "webhook-timestamp",
                Long.toString(timestamp),
                "webhook-signature",
                WebhookSignature.sign(secret, id, timestamp, body));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
