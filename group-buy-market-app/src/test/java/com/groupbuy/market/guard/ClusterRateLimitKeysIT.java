package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RedisClusterMode;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A user's rate limit on a Redis Cluster. Redisson's rate limiter keeps a bucket in several keys and derives the
 * others from the bucket's name by wrapping it in braces; user ids are the partners' own text, braces allowed, and a
 * brace in the name made those keys land in different slots ({@code CROSSSLOT}): such a buyer could neither lock nor
 * pay while a user limit was on. Every such user must be served like any other, and still be limited.
 */
@IntegrationTest
@RedisClusterMode
@TestPropertySource(properties = "gbm.admin.token=it-admin")
class ClusterRateLimitKeysIT {

    private static final List<String> BRACED_USERS =
            List.of("brace}one", "brace{two", "{brace}3", "}{4", "{}5", "b{6}");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void setUp() throws Exception {
        jdbc.update("DELETE FROM dcc_switch");
        change("rateLimitUser", "50");
    }

    @AfterEach
    void tearDown() throws Exception {
        change("rateLimitUser", "0");
    }

    @Test
    void aUserIdWithBracesLocksAndPaysUnderAUserLimitOnACluster() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 4_101, "http://127.0.0.1:1/cb");
        for (String user : BRACED_USERS) {
            JsonNode lock = mall.lock(user, "");
            assertThat(lock.path("code").asText())
                    .as("lock of %s: %s", user, lock)
                    .isEqualTo("0000");
            JsonNode settle = mall.settle(user);
            assertThat(settle.path("code").asText())
                    .as("settlement of %s: %s", user, settle)
                    .isEqualTo("0000");
        }
    }

    @Test
    void aUserIdWithBracesIsStillLimited() throws Exception {
        change("rateLimitUser", "1");
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 4_102, "http://127.0.0.1:1/cb");
        String user = "limited}{";
        // The same lock again answers its order; past one request a second, 0006. Three within a second or so: at
        // least one of the later two is over the limit whatever the machine's load (a window is one second).
        String first = mall.lock(user, "").path("code").asText();
        String second = mall.lock(user, "").path("code").asText();
        String third = mall.lock(user, "").path("code").asText();
        assertThat(first).isEqualTo("0000");
        assertThat(List.of(second, third)).contains("0006").allMatch(c -> c.equals("0006") || c.equals("0000"));
    }

    private void change(String name, String value) throws Exception {
        JsonNode answer = TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/admin/switches/" + name,
                        "{\"value\":\"" + value + "\",\"operator\":\"cluster-keys-it\"}",
                        Map.of("X-Admin-Token", "it-admin"))
                .body());
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
    }
}
