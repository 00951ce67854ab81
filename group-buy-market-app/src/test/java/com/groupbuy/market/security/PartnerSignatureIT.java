package com.groupbuy.market.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trade requests of a source/channel that must sign: unsigned, wrongly signed or stale settlement and refund are
 * refused with 401 E0207 and change nothing; signed ones work. A pair not required to sign keeps working unsigned
 * (malls of the original platform), but a wrong signature it does send is refused.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.trade.signature.required-for=s01:c01",
        "gbm.notify.secrets.s02.c02=other_secret"})
class PartnerSignatureIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9000);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

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
        assertThat(signed(LOCK, lockBody("a1"), "test_secret", now()).path("code").asText()).isEqualTo("0000");
        String settle = settleBody("a1");
        String refund = "{\"userId\":\"a1\",\"outTradeNo\":\"out-a1\",\"source\":\"s01\",\"channel\":\"c01\"}";

        HttpResponse<String> unsignedSettle = TestJson.post(port, SETTLE, settle);
        HttpResponse<String> unsignedRefund = TestJson.post(port, REFUND, refund);
        HttpResponse<String> wrongSecret = post(SETTLE, settle, "other_secret", now());
        HttpResponse<String> stale = post(REFUND, refund, "test_secret", now() - 600);
        HttpResponse<String> bodyChanged = TestJson.post(port, SETTLE, settle.replace("a1", "a2"),
                headers(settle, "test_secret", now()));

        for (HttpResponse<String> refused : new HttpResponse[]{unsignedSettle, unsignedRefund, wrongSecret, stale,
                bodyChanged}) {
            assertThat(refused.statusCode()).isEqualTo(401);
            JsonNode body = TestJson.JSON.readTree(refused.body());
            assertThat(fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0207");
        }
        assertThat(jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-a1'",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class,
                activityId)).isZero();
    }

    @Test
    void signedLockSettlementAndRefundGoThrough() throws Exception {
        assertThat(signed(LOCK, lockBody("b1"), "test_secret", now()).path("code").asText()).isEqualTo("0000");
        assertThat(signed(SETTLE, settleBody("b1"), "test_secret", now()).path("code").asText()).isEqualTo("0000");

        JsonNode refund = signed(REFUND, "{\"userId\":\"b1\",\"outTradeNo\":\"out-b1\",\"source\":\"s01\","
                + "\"channel\":\"c01\"}", "test_secret", now());

        assertThat(refund.path("code").asText()).isEqualTo("0000");
        assertThat(refund.path("data").path("code").asText()).isEqualTo("success");
        assertThat(jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-b1'",
                Integer.class)).isEqualTo(2);
    }

    @Test
    void aPairNotRequiredToSignWorksUnsignedButAWrongSignatureIsStillRefused() throws Exception {
        String unknownGoods = "{\"userId\":\"c1\",\"outTradeNo\":\"out-c1\",\"source\":\"s02\",\"channel\":\"c02\"}";

        JsonNode unsigned = TestJson.postEnvelope(port, REFUND, unknownGoods);
        HttpResponse<String> wronglySigned = post(REFUND, unknownGoods, "not_its_secret", now());

        assertThat(unsigned.path("code").asText()).as("reached the refund rules").isEqualTo("E0104");
        assertThat(wronglySigned.statusCode()).isEqualTo(401);
        assertThat(signed(REFUND, unknownGoods, "other_secret", now()).path("code").asText()).isEqualTo("E0104");
    }

    private String lockBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\""
                + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId + "\","
                + "\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    private static String settleBody(String userId) {
        return "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId
                + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";
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
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", WebhookSignature.sign(secret, id, timestamp, body));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
