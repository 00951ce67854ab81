package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.StartRefusal;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Redis ACLs an operator writes for an application user (Redis 7.0, a private server each). On main a user without
 * pub/sub channels (Redis 7's default for a new user) failed the start with "Subscription response timeout … Check
 * network", and a user without {@code INFO} ({@code -@dangerous}) left {@code /actuator/health} 503 DOWN while every
 * trade was served.
 */
@IntegrationTest
class RedisServerAclIT {

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aUserWithoutPubSubChannelsIsRefusedNamingThePermission() throws Exception {
        // No &*: the user directive resets the user, and Redis 7's acl-pubsub-default gives it no channels.
        PrivateRedis redis = PrivateRedis.start(port -> List.of("--user", "default", "on", "nopass", "~*", "+@all"));
        try {
            Throwable refusal =
                    catchThrowable(() -> SecondInstance.like(environment, "spring.data.redis.port=" + redis.port())
                            .close());
            assertThat(refusal).as("the start on a Redis user without channels").isNotNull();
            assertThat(StartRefusal.innermost(refusal))
                    .hasMessageStartingWith("refusing to start: Redis refuses our live-switch channel")
                    .hasMessageContaining("NOPERM")
                    .hasMessageContaining("&*");
        } finally {
            redis.kill();
        }
    }

    @Test
    void aUserWithoutDangerousCommandsServesAndIsHealthy() throws Exception {
        PrivateRedis redis = PrivateRedis.start(
                port -> List.of("--user", "default", "on", "nopass", "~*", "&*", "+@all", "-@dangerous"));
        try (SecondInstance app = SecondInstance.like(environment, "spring.data.redis.port=" + redis.port())) {
            TradeClient mall = TradeClient.onNewGoods(app.port(), jdbc, 29_301, "http://127.0.0.1:1/cb");
            JsonNode open = mall.lock("acl-a", "");
            assertThat(open.path("code").asText()).as(open.toString()).isEqualTo("0000");
            assertThat(mall.settle("acl-a").path("code").asText()).isEqualTo("0000");

            for (String path : List.of("/actuator/health", "/actuator/health/traffic")) {
                HttpResponse<String> health = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode())
                        .as("%s: %s", path, health.body())
                        .isEqualTo(200);
                JsonNode redisHealth =
                        TestJson.JSON.readTree(health.body()).path("components").path("redis");
                assertThat(redisHealth.path("status").asText())
                        .as(health.body())
                        .isEqualTo("UP");
            }
        } finally {
            redis.kill();
        }
    }
}
