package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A signed request's {@code webhook-id} is remembered per partner, but the mark was named by joining source, channel
 * and id with colons: s01/c01's id {@code k:1} was the mark of id {@code 1} of the partner s01/{@code c01:k}, whose
 * first request with that id was refused as a replay (401 E0210). Each part's colons are escaped now.
 */
@IntegrationTest
// The colon is escaped: inline properties read an unescaped one as the end of the name.
@TestPropertySource(properties = {"gbm.notify.secrets.s01.c01=test_secret", "gbm.notify.secrets.s01[c01\\:k]=k_secret"})
class WebhookIdPartsIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    @LocalServerPort
    int port;

    @Test
    void anotherPartnersIdWhoseMarkJoinsToTheSameTextIsNoReplay() throws Exception {
        HttpResponse<String> first = signedLock("c01", "test_secret", "k:1");
        HttpResponse<String> other = signedLock("c01:k", "k_secret", "1");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(other.statusCode())
                .as("s01/c01:k's first request with id 1: %s", other.body())
                .isEqualTo(200);
        HttpResponse<String> replay = signedLock("c01:k", "k_secret", "1");
        assertThat(replay.statusCode()).as("a real replay is still refused").isEqualTo(401);
        assertThat(TestJson.JSON.readTree(replay.body()).path("code").asText()).isEqualTo("E0210");
    }

    /** A lock of unknown goods (refused E0002 by the use case: nothing written), signed with the partner's secret. */
    private HttpResponse<String> signedLock(String channel, String secret, String webhookId) throws Exception {
        String body =
                "{\"userId\":\"u1\",\"teamId\":\"\",\"activityId\":1,\"goodsId\":\"g-unknown\",\"source\":\"s01\","
                        + "\"channel\":\"" + channel + "\",\"outTradeNo\":\"o-" + webhookId
                        + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
        long now = System.currentTimeMillis() / 1000;
        return TestJson.post(
                port,
                LOCK,
                body,
                Map.of(
                        "webhook-id", webhookId,
                        "webhook-timestamp", Long.toString(now),
                        "webhook-signature", WebhookSignature.sign(secret, webhookId, now, body)));
    }
}
