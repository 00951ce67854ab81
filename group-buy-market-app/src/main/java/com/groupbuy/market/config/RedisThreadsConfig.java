package com.groupbuy.market.config;

import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Sizes Redisson's thread pools from {@link RedisThreadsProperties} (#19); zero keeps Redisson's default. */
@Configuration
public class RedisThreadsConfig {

    @Bean
    public RedissonAutoConfigurationCustomizer redissonThreads(RedisThreadsProperties properties) {
        return config -> {
            if (properties.getNettyThreads() > 0) {
                config.setNettyThreads(properties.getNettyThreads());
            }
            if (properties.getThreads() > 0) {
                config.setThreads(properties.getThreads());
            }
        };
    }
}
