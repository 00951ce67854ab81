package com.groupbuy.market.config;

import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Redisson client's own threads ({@code gbm.redis.*}, #19). Zero leaves Redisson's default (32 netty threads,
 * 16 threads for listeners and callbacks).
 */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.redis")
public class RedisThreadsProperties {

    /** Netty event-loop threads that read and write Redis connections. */
    private int nettyThreads = 0;
    /** Threads for Redisson's listeners (topics, lock watchdog) and its async callbacks. */
    private int threads = 0;
}
