package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Forwarded headers are believed only where an operator says so ({@code server.forward-headers-strategy=native}),
 * also on a cloud platform Spring Boot detects by itself. Kubernetes sets {@code KUBERNETES_SERVICE_HOST} and
 * {@code _PORT} in every pod, and on such a platform Boot installs Tomcat's {@code RemoteIpValve} unless the strategy
 * is set, trusting every private and loopback address as a proxy: any caller from the cluster's network named the
 * client address it liked in {@code X-Forwarded-For}. On main, with the platform detected
 * ({@code spring.main.cloud-platform=kubernetes} stands for the pod's variables), an unsigned lock of a pair bound to
 * 10.0.0.0/8 sent from loopback with {@code X-Forwarded-For: 10.1.2.3} was taken as the partner's and written, the
 * admin audit recorded the forged address, and admin token guesses each named another address and were never cut off.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.main.cloud-platform=kubernetes",
            "gbm.admin.token=" + ForwardedHeadersOnAPlatformIT.TOKEN,
            "gbm.console.login.max-failures=10",
            "gbm.notify.secrets.s03.c03=bound_secret",
            "gbm.trade.partner-addresses.s03.c03=10.0.0.0/8"
        })
class ForwardedHeadersOnAPlatformIT {

    static final String TOKEN = "it-forwarded-admin-token-0123";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SWITCHES = "/api/v1/gbm/admin/switches";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisKeys keys;

    private final AdminClient admin = new AdminClient(() -> port);

    @AfterEach
    void forgetFailures() {
        redisson.getKeys().deleteByPattern(keys.key("console", "*"));
    }

    @Test
    void anUnsignedLockOfABoundPairNamingItsAddressInAForwardedHeaderIsRefusedAndWritesNothing() throws Exception {
        long activityId = 9301;
        String goodsId = "g" + activityId;
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods(goodsId, activityId, "ZJ", "20", "100.00");
        fixture.soldThrough("s03", "c03", goodsId, activityId);
        String lock = "{\"userId\":\"f1\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"" + goodsId
                + "\",\"source\":\"s03\",\"channel\":\"c03\",\"outTradeNo\":\"out-f1\","
                + "\"notifyUrl\":\"http://127.0.0.1:9/cb\"}";

        for (Map<String, String> forged : List.of(
                Map.of("X-Forwarded-For", "10.1.2.3"),
                Map.of("X-Forwarded-For", "198.51.100.1, 10.1.2.3"),
                Map.of("Forwarded", "for=10.1.2.3"),
                Map.of("X-Real-IP", "10.1.2.3"))) {
            HttpResponse<String> refused = TestJson.post(port, LOCK, lock, forged);
            assertThat(refused.statusCode())
                    .as(forged + " -> " + refused.body())
                    .isEqualTo(401);
            JsonNode body = TestJson.JSON.readTree(refused.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0207");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE out_trade_no = 'out-f1'", Integer.class))
                .isZero();
    }

    @Test
    void theAuditRecordsTheConnectionsAddressNotAForwardedOne() throws Exception {
        jdbc.update("DELETE FROM admin_action");
        HttpResponse<String> missing = admin.call("POST", "/api/v1/gbm/admin/notify/tasks/999999999/redrive")
                .token(TOKEN)
                .headers(Map.of("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"))
                .send();
        assertThat(TestJson.JSON.readTree(missing.body()).path("code").asText()).isEqualTo("E0301");

        TestJson.await(() -> jdbc.queryForObject("SELECT COUNT(*) FROM admin_action", Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT remote_address FROM admin_action", String.class))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void tokenGuessesEachNamingAnotherForwardedAddressStillCountAgainstTheConnectionsAddress() throws Exception {
        for (int i = 0; i < 10; i++) {
            int guess = admin.get(SWITCHES)
                    .token("guess-" + i)
                    .headers(Map.of("X-Forwarded-For", "203.0.113." + (i + 1)))
                    .send()
                    .statusCode();
            assertThat(guess).isEqualTo(403);
        }
        assertThat(admin.get(SWITCHES).token(TOKEN).send().statusCode())
                .as("ten wrong tokens from this connection's address, whatever X-Forwarded-For said: locked out")
                .isEqualTo(429);
    }
}
