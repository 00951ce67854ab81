package com.groupbuy.market.config;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An empty Redis password means "no password": prod reads it from {@code REDIS_PASSWORD}, which resolves to an
 * empty string when unset, and the client would then send {@code AUTH ""}, which a Redis without a password answers
 * with an error, failing the start. Unset, the client sends no AUTH at all.
 */
@Configuration
public class RedisPasswordConfig {

    @Bean
    public static BeanPostProcessor emptyRedisPasswordIsNone() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RedisProperties redis) {
                    blankToNone(redis);
                }
                return bean;
            }
        };
    }

    static void blankToNone(RedisProperties redis) {
        if (redis.getPassword() != null && redis.getPassword().isEmpty()) {
            redis.setPassword(null);
        }
        if (redis.getUsername() != null && redis.getUsername().isEmpty()) {
            redis.setUsername(null);
        }
    }
}
