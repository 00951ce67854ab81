package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisCluster;
import com.groupbuy.market.support.PrivateRedisClusterServer;
import com.groupbuy.market.trigger.http.admin.ConsoleSignOuts;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * On a Redis Cluster with replicas, what we read is what the master holds. A replica that restarted lost its data and
 * answers reads from an empty dataset until its full sync with the master is done (the master waits
 * repl-diskless-sync-delay, 5 s by default, for more replicas first; here 30 s); a console session signed out must
 * stay signed out meanwhile.
 */
@IntegrationTest
@PrivateRedisClusterServer(replicasPerMaster = 1)
class ClusterReplicaReadIT {

    @Autowired
    PrivateRedisCluster cluster;

    @Autowired
    ConsoleSignOuts signOuts;

    @Autowired
    RedisKeys keys;

    @Test
    void aSignOutStaysReadWhileAReplicaThatLostItsDataResyncs() throws Exception {
        signOuts.signOut("session-r1", Instant.now().plusSeconds(3600));
        assertThat(signOuts.signedOut("session-r1")).isTrue();

        String key = keys.key("console", "signed-out", "session-r1");
        int replicaPort = cluster.replicaOf(key);
        int masterPort = Integer.parseInt(PrivateRedisCluster.command(replicaPort, "info", "replication")
                .lines()
                .filter(line -> line.startsWith("master_port:"))
                .findFirst()
                .orElseThrow()
                .substring("master_port:".length())
                .trim());
        PrivateRedisCluster.command(masterPort, "config", "set", "repl-diskless-sync-delay", "30");
        PrivateRedis replica = cluster.node(replicaPort);
        try {
            replica.kill();
            replica.startAgain();
            long until = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < until) {
                assertThat(signOuts.signedOut("session-r1"))
                        .as("signed out, read while the replica resyncs")
                        .isTrue();
                Thread.sleep(100);
            }
        } finally {
            PrivateRedisCluster.command(masterPort, "config", "set", "repl-diskless-sync-delay", "0");
        }
    }
}
