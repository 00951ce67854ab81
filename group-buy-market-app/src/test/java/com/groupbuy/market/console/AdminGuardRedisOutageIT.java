package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The admin guards keep their failures and sign-outs in Redis, and fail closed without it: with the service's Redis
 * (a private redis-server of this test) killed, the right token and a valid console cookie are answered 503
 * {@code E0401} (never admitted unchecked, never a plain 403 that reads as "wrong token"), while the partners' API,
 * which the guards are not on, answers a committed refund as before. With Redis back both work again.
 */
@IntegrationTest
@PrivateRedisServer
@TestPropertySource(properties = "gbm.admin.token=it-admin-outage-token-0123")
class AdminGuardRedisOutageIT {

    private static final String TOKEN = "it-admin-outage-token-0123";
    private static final String SWITCHES = "/api/v1/gbm/admin/switches";

    @Autowired
    PrivateRedis redis;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final AdminClient admin = new AdminClient(() -> port);

    @Test
    void withRedisDownTheAdminAuthenticationsAreE0401AndThePartnersRefundStillCommits() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 13960, "http://127.0.0.1:1/cb");
        assertThat(mall.lock("o1", "").path("code").asText()).isEqualTo("0000");
        String cookie = admin.signIn(TOKEN);
        assertThat(admin.get(SWITCHES).token(TOKEN).send().statusCode()).isEqualTo(200);
        assertThat(admin.get(SWITCHES).cookie(cookie).send().statusCode()).isEqualTo(200);

        redis.kill();
        for (HttpResponse<String> answer : java.util.List.of(
                admin.get(SWITCHES).token(TOKEN).send(),
                admin.get(SWITCHES).token("a-wrong-guess").send(),
                admin.get("/actuator/prometheus").token(TOKEN).send(),
                admin.get(SWITCHES).cookie(cookie).send())) {
            assertThat(answer.statusCode())
                    .as(answer.uri() + " " + answer.body())
                    .isEqualTo(503);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("E0401");
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        assertThat(admin.get(SWITCHES).send().statusCode())
                .as("no token, no cookie: the plain refusal, no Redis needed")
                .isEqualTo(403);
        assertThat(mall.refund("o1").path("code").asText())
                .as("the partners' API is not behind the admin guards")
                .isEqualTo("0000");

        redis.startAgain();
        long deadline = System.currentTimeMillis() + 30_000;
        int status;
        do {
            Thread.sleep(250);
            status = admin.get(SWITCHES).token(TOKEN).send().statusCode();
        } while (status != 200 && System.currentTimeMillis() < deadline);
        assertThat(status).isEqualTo(200);
        assertThat(admin.get(SWITCHES).cookie(cookie).send().statusCode()).isEqualTo(200);
    }
}
