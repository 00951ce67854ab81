package com.groupbuy.market.config;

import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds Redisson's pool by {@code gbm.redis.pool-size}, so an operator can fit every instance under Redis's {@code
 * maxclients}. Redisson opens 24 connections at start and grows to 64 under load; past {@code maxclients} Redis
 * refuses each new one ({@code ERR max number of clients reached}) and the command that asked for it is sent again on
 * a pooled connection ({@code RedisOutages}; 37-47 refusals in a burst of 600 requests: RedisClientLimitIT). A bounded
 * pool makes a command wait for a pooled connection instead, without the refused connects.
 */
@Configuration
public class RedisPoolConfig {

    /** Redisson's default of connections opened at start; a smaller pool opens all of its own at start. */
    static final int DEFAULT_MINIMUM_IDLE = 24;

    static final int MAX_POOL_SIZE = 1_000;

    @Bean
    public RedissonAutoConfigurationCustomizer redissonPoolSize(RedisPoolProperties properties) {
        int size = properties.getPoolSize();
        if (size < 0 || size > MAX_POOL_SIZE) {
            throw new IllegalStateException("refusing to start: gbm.redis.pool-size (GBM_REDIS_POOL_SIZE) is " + size
                    + "; give 1 to " + MAX_POOL_SIZE + " connections per Redis node, or 0 for Redisson's default (64)");
        }
        return config -> {
            if (size > 0) {
                bound(config, size, Math.min(size, DEFAULT_MINIMUM_IDLE));
            }
        };
    }

    private static void bound(Config config, int size, int idle) {
        if (config.isSingleConfig()) {
            SingleServerConfig single = config.useSingleServer();
            single.setConnectionMinimumIdleSize(idle);
            single.setConnectionPoolSize(size);
        } else if (config.isClusterConfig()) {
            BaseMasterSlaveServersConfig<?> cluster = config.useClusterServers();
            cluster.setMasterConnectionMinimumIdleSize(idle);
            cluster.setMasterConnectionPoolSize(size);
            cluster.setSlaveConnectionMinimumIdleSize(idle);
            cluster.setSlaveConnectionPoolSize(size);
        }
    }
}
