package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/** gbm.redis.pool-size bounds Redisson's pool per node; zero leaves Redisson's 24 at start growing to 64. */
class RedisPoolConfigTest {

    @Test
    void zeroKeepsRedissonsDefaults() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");

        customize(config, 0);

        assertThat(config.useSingleServer().getConnectionPoolSize()).isEqualTo(64);
        assertThat(config.useSingleServer().getConnectionMinimumIdleSize()).isEqualTo(24);
    }

    @Test
    void aSmallPoolOpensAllItsConnectionsAtStart() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");

        customize(config, 10);

        SingleServerConfig single = config.useSingleServer();
        assertThat(single.getConnectionPoolSize()).isEqualTo(10);
        assertThat(single.getConnectionMinimumIdleSize()).isEqualTo(10);
    }

    @Test
    void aClusterBoundsEveryNodesPool() {
        Config config = new Config();
        config.useClusterServers().addNodeAddress("redis://127.0.0.1:7101");

        customize(config, 40);

        ClusterServersConfig cluster = config.useClusterServers();
        assertThat(cluster.getMasterConnectionPoolSize()).isEqualTo(40);
        assertThat(cluster.getMasterConnectionMinimumIdleSize()).isEqualTo(24);
        assertThat(cluster.getSlaveConnectionPoolSize()).isEqualTo(40);
        assertThat(cluster.getSlaveConnectionMinimumIdleSize()).isEqualTo(24);
    }

    @Test
    void aSizeOutsideItsRangeRefusesTheStart() {
        for (int size : new int[] {-1, 1_001}) {
            RedisPoolProperties properties = new RedisPoolProperties();
            properties.setPoolSize(size);
            assertThatThrownBy(() -> new RedisPoolConfig().redissonPoolSize(properties))
                    .hasMessageStartingWith("refusing to start: gbm.redis.pool-size");
        }
    }

    private static void customize(Config config, int size) {
        RedisPoolProperties properties = new RedisPoolProperties();
        properties.setPoolSize(size);
        new RedisPoolConfig().redissonPoolSize(properties).customize(config);
    }
}
