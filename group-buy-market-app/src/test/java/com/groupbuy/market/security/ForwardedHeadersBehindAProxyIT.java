package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The service's own {@code server.forward-headers-strategy: none} (see {@link ForwardedHeadersOnAPlatformIT}) gives
 * way to an operator's {@code native} with the proxies named, as docs/operations.md tells one behind a proxy to set
 * (an environment variable or a property): the client is the first address from the right of
 * {@code X-Forwarded-For} that is not a named proxy (here this test's loopback connection stands for the proxy).
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.main.cloud-platform=kubernetes",
            "server.forward-headers-strategy=native",
            "server.tomcat.remoteip.internal-proxies=127\\\\.0\\\\.0\\\\.1",
            "gbm.admin.token=" + ForwardedHeadersOnAPlatformIT.TOKEN,
            "gbm.notify.secrets.s03.c03=bound_secret",
            "gbm.trade.partner-addresses.s03.c03=10.0.0.0/8"
        })
class ForwardedHeadersBehindAProxyIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theNamedProxysForwardedClientIsTheClient() throws Exception {
        long activityId = 9302;
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods("g" + activityId, activityId, "ZJ", "20", "100.00");
        fixture.soldThrough("s03", "c03", "g" + activityId, activityId);
        String lock = "{\"userId\":\"p1\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                + activityId + "\",\"source\":\"s03\",\"channel\":\"c03\",\"outTradeNo\":\"out-p1\","
                + "\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";

        assertThat(TestJson.post(port, LOCK, lock, Map.of("X-Forwarded-For", "10.1.2.3, 198.51.100.1"))
                        .statusCode())
                .as("the proxy says the client is 198.51.100.1, outside the pair's addresses")
                .isEqualTo(401);
        assertThat(TestJson.JSON
                        .readTree(TestJson.post(port, LOCK, lock, Map.of("X-Forwarded-For", "10.1.2.3"))
                                .body())
                        .path("code")
                        .asText())
                .as("the proxy says the client is 10.1.2.3, inside them")
                .isEqualTo("0000");

        jdbc.update("DELETE FROM admin_action");
        new AdminClient(() -> port)
                .call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive")
                .token(ForwardedHeadersOnAPlatformIT.TOKEN)
                .headers(Map.of("X-Forwarded-For", "203.0.113.9"))
                .send();
        TestJson.await(() -> jdbc.queryForObject("SELECT COUNT(*) FROM admin_action", Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT remote_address FROM admin_action", String.class))
                .isEqualTo("203.0.113.9");
    }
}
