package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisCluster;
import com.groupbuy.market.support.PrivateRedisClusterServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Redis Cluster that is down answers like any Redis outage: HTTP 503, {@code Retry-After}, E0401, nothing written.
 * Once a master has been unreachable for the node timeout, every node answers {@code CLUSTERDOWN} for every key, its
 * own slots included, until the master is back or a replica has taken over (the second or so of every failover; for
 * good without a replica). The lock's place script on a master that is up is then refused with {@code CLUSTERDOWN},
 * which Redisson reports neither as a connection failure nor a timeout.
 */
@IntegrationTest
@PrivateRedisClusterServer
class RedisClusterDownIT {

    @Autowired
    PrivateRedisCluster cluster;

    @Autowired
    TeamPlaceReservation places;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLockWhileTheClusterIsDownAnswers503E0401AndLocksSucceedOnceItIsBack() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 13510, "http://127.0.0.1:1/cb");
        String teamId = mall.team("d1");
        // The team's own master stays up: its answer is CLUSTERDOWN, not a connection failure.
        PrivateRedis other = cluster.masterNotServing(places.key(teamId));

        other.pause();
        try {
            cluster.awaitState("fail", other);
            for (int i = 2; i <= 4; i++) {
                HttpResponse<String> answer = mall.lockAnswer("d" + i, teamId);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                JsonNode body = TestJson.JSON.readTree(answer.body());
                assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
                assertThat(body.path("code").asText()).isEqualTo("E0401");
            }
        } finally {
            other.resume();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .as("nothing written for refused locks")
                .isEqualTo(1);

        cluster.awaitState("ok", null);
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode joined;
        do {
            Thread.sleep(250);
            joined = TestJson.JSON.readTree(mall.lockAnswer("d5", teamId).body());
        } while (!"0000".equals(joined.path("code").asText()) && System.currentTimeMillis() < deadline);
        assertThat(joined.path("code").asText())
                .as("locks succeed once the cluster is up")
                .isEqualTo("0000");
        assertThat(places.placesOf(teamId)).as("Redis = database").isEqualTo(2);
    }
}
