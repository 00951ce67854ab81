package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * With every pair required to sign ({@code *}), no shape of an unsigned body reaches a use case: source/channel of
 * the wrong JSON type are refused 0002 before the signature is even looked at (never coerced to text that a second,
 * lenient parse would judge differently), well-typed ones are refused 401, and only a signed request pays.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.trade.signature.required-for=*")
class SignatureOnParsedValuesIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anUnsignedSettlementPaysNothingWhateverTheTypesOfItsSourceAndChannel() throws Exception {
        long activityId = 62001;
        TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/cb");
        String lock =
                "{\"userId\":\"n1\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g" + activityId
                        + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-n1\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
        assertThat(send(LOCK, lock, true).statusCode()).isEqualTo(200);
        String tail = ",\"userId\":\"n1\",\"outTradeNo\":\"out-n1\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";

        for (String sourceChannel : List.of(
                "\"source\":1,\"channel\":1",
                "\"source\":true,\"channel\":\"c01\"",
                "\"source\":[\"s01\"],\"channel\":[\"c01\"]",
                "\"source\":{\"x\":\"s01\"},\"channel\":\"c01\"",
                "\"source\":\"s01\",\"source\":\"s01\",\"channel\":\"c01\"")) {
            HttpResponse<String> answer = send(SETTLE, "{" + sourceChannel + tail, false);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(answer.statusCode())
                    .as(sourceChannel + " -> " + answer.body())
                    .isEqualTo(200);
            assertThat(body.path("code").asText())
                    .as(sourceChannel + " -> " + answer.body())
                    .isEqualTo("0002");
            assertThat(body.path("info").asText()).contains("source");
        }
        HttpResponse<String> unsigned = send(SETTLE, "{\"source\":\"s01\",\"channel\":\"c01\"" + tail, false);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(paidStatus()).as("nothing paid unsigned").isZero();

        HttpResponse<String> signed = send(SETTLE, "{\"source\":\"s01\",\"channel\":\"c01\"" + tail, true);
        assertThat(TestJson.JSON.readTree(signed.body()).path("code").asText())
                .as(signed.body())
                .isEqualTo("0000");
        assertThat(paidStatus()).isEqualTo(1);
    }

    /**
     * The signature covers the body's bytes as sent, which the reader decodes with the charset the request names.
     * It was checked over those bytes decoded as UTF-8 (each byte that is not UTF-8 becoming U+FFFD): a body in
     * ISO-8859-1 signed over its bytes, as the scheme says, was refused, and a signature over the text {@code f\uFFFDx}
     * was accepted for the bytes {@code f\u00e9x} (or any other Latin-1 letter there), which the lock then stored as
     * the user {@code féx}: a value the signature never covered.
     */
    @Test
    void theSignatureCoversTheBytesSentInTheCharsetTheyAreReadWith() throws Exception {
        long activityId = 62002;
        TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/cb");
        Map<String, String> latin1 = Map.of("Content-Type", "application/json;charset=ISO-8859-1");

        byte[] forged = lockBody(activityId, "f\u00e9x").getBytes(StandardCharsets.ISO_8859_1);
        byte[] signedText = lockBody(activityId, "f\ufffdx").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer refused = RawHttp.send(port, "POST", LOCK, signedOver(latin1, signedText), forged);
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(TestJson.JSON.readTree(refused.body()).path("code").asText()).isEqualTo("E0207");
        assertThat(orders("out-f%"))
                .as("no lock for a body the signature did not cover")
                .isZero();

        byte[] sent = lockBody(activityId, "l\u00e9a").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer accepted = RawHttp.send(port, "POST", LOCK, signedOver(latin1, sent), sent);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(TestJson.JSON.readTree(accepted.body()).path("code").asText())
                .as(accepted.body())
                .isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT user_id FROM group_buy_order_list WHERE out_trade_no = 'out-l\u00e9a'", String.class))
                .isEqualTo("l\u00e9a");
    }

    private static String lockBody(long activityId, String user) {
        return "{\"userId\":\"" + user + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + user
                + "\",\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";
    }

    /** The scheme computed by hand over raw bytes: HMAC-SHA256(secret, id + "." + timestamp + "." + bytes). */
    private static Map<String, String> signedOver(Map<String, String> headers, byte[] body) throws Exception {
        String id = "req_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test_secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((id + "." + now + ".").getBytes(StandardCharsets.UTF_8));
        Map<String, String> signed = new LinkedHashMap<>(headers);
        signed.put("webhook-id", id);
        signed.put("webhook-timestamp", Long.toString(now));
        signed.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
        return signed;
    }

    private long orders(String outTradeNoLike) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no LIKE ?", Long.class, outTradeNoLike);
    }

    private Integer paidStatus() {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE out_trade_no = 'out-n1'", Integer.class);
    }

    private HttpResponse<String> send(String path, String body, boolean sign) throws Exception {
        if (!sign) {
            return TestJson.post(port, path, body);
        }
        String id = "req_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        return TestJson.post(
                port,
                path,
                body,
                Map.of(
                        "webhook-id",
                        id,
                        "webhook-timestamp",
                        Long.toString(now),
                        "webhook-signature",
                        WebhookSignature.sign("test_secret", id, now, body)));
    }
}
