package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/** gbm.redis.netty-threads / .threads size Redisson's pools; zero leaves Redisson's own defaults. */
class RedisThreadsConfigTest {

    @Test
    void zeroKeepsRedissonsDefaults() {
        Config config = new Config();
        int netty = config.getNettyThreads();
        int threads = config.getThreads();

        new RedisThreadsConfig().redissonThreads(new RedisThreadsProperties()).customize(config);

        assertThat(config.getNettyThreads()).isEqualTo(netty);
        assertThat(config.getThreads()).isEqualTo(threads);
    }

    @Test
    void setValuesSizeThePools() {
        RedisThreadsProperties properties = new RedisThreadsProperties();
        properties.setNettyThreads(4);
        properties.setThreads(2);
        Config config = new Config();

        new RedisThreadsConfig().redissonThreads(properties).customize(config);

        assertThat(config.getNettyThreads()).isEqualTo(4);
        assertThat(config.getThreads()).isEqualTo(2);
    }
}
