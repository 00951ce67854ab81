package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
