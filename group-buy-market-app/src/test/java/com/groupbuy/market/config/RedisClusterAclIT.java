package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedisCluster;
import com.groupbuy.market.support.PrivateRedisClusterServer;
import com.groupbuy.market.support.TestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The {@code redis} health component on a Redis Cluster (a private one: its nodes' ACLs are changed). Spring Boot's
 * check asks a cluster {@code CLUSTER INFO}, not {@code INFO}, through the same component as a single Redis
 * ({@link RedisHealthConfig}); a user without {@code @dangerous} keeps {@code CLUSTER INFO} (it is {@code @slow}
 * only), and a user refused it too is answered by the {@code PING} fallback.
 */
@IntegrationTest
@PrivateRedisClusterServer
class RedisClusterAclIT {

    @Autowired
    PrivateRedisCluster cluster;

    @LocalServerPort
    int port;

    @Test
    void healthIsUpForAUserWithoutDangerousCommandsAndWithoutClusterInfo() throws Exception {
        // Rules added to the default user take effect on the connections the service holds, at their next command.
        aclOnEveryNode("-@dangerous");
        JsonNode withoutInfo = redisHealth();
        assertThat(withoutInfo.path("status").asText())
                .as(withoutInfo.toString())
                .isEqualTo("UP");
        assertThat(withoutInfo.path("details").has("ping"))
                .as("CLUSTER INFO answered: %s", withoutInfo)
                .isFalse();

        aclOnEveryNode("-cluster|info");
        JsonNode withoutClusterInfo = redisHealth();
        assertThat(withoutClusterInfo.path("status").asText())
                .as(withoutClusterInfo.toString())
                .isEqualTo("UP");
        assertThat(withoutClusterInfo.path("details").path("ping").asText()).isEqualTo("PONG");
    }

    /** The rule added to the default user on every node, set by a user of the test's own (ACL is @dangerous). */
    private void aclOnEveryNode(String rule) throws Exception {
        for (String node : cluster.nodes().split(",")) {
            int nodePort = Integer.parseInt(node.substring(node.indexOf(':') + 1));
            PrivateRedisCluster.command(nodePort, "ACL", "SETUSER", "test-admin", "on", ">pw", "~*", "&*", "+@all");
            Process cli = new ProcessBuilder(
                            "redis-cli",
                            "-p",
                            Integer.toString(nodePort),
                            "--user",
                            "test-admin",
                            "--pass",
                            "pw",
                            "--no-auth-warning",
                            "ACL",
                            "SETUSER",
                            "default",
                            rule)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor()).isZero();
            assertThat(out.trim()).isEqualTo("OK");
        }
    }

    /** The redis component of /actuator/health, which must be 200 (and is asked of every node's master). */
    private JsonNode redisHealth() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        return TestJson.JSON.readTree(health.body()).path("components").path("redis");
    }
}
