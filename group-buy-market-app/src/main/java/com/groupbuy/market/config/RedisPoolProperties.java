package com.groupbuy.market.config;

import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many connections Redisson's pool may hold to each Redis node ({@code gbm.redis.pool-size}). Zero leaves
 * Redisson's default: 24 opened at start, growing to 64 under load.
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.redis")
public class RedisPoolProperties {

    /** Most connections to a node (1 to 1,000; 0: Redisson's 64); the start opens as many, at most 24. */
    private int poolSize = 0;
}
