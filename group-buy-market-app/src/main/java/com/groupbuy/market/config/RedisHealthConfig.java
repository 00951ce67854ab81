package com.groupbuy.market.config;

import java.util.Locale;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code redis} health component. Spring Boot's asks Redis {@code INFO server} (a cluster: {@code CLUSTER INFO}),
 * and a Redis user without {@code INFO} — {@code +@all -@dangerous}, the usual ACL for an application, takes it away,
 * as does a managed Redis that renames it — made {@code /actuator/health} and {@code /traffic} 503 DOWN while every
 * lock, settlement and refund was served (RedisServerAclIT): a load balancer took every instance out. Only that
 * refusal is now read again by a {@code PING}, the command Redis answers to any user that may talk to it: UP if it
 * answers, DOWN with both errors if not. Every other answer is Spring Boot's, unchanged (Redis down is DOWN).
 */
@Configuration
public class RedisHealthConfig {

    /** Named so Spring Boot's own Redis health contributors step aside. */
    @Bean
    public HealthIndicator redisHealthContributor(RedisConnectionFactory factory) {
        RedisHealthIndicator spring = new RedisHealthIndicator(factory);
        return () -> {
            Health health = spring.health();
            if (!Status.DOWN.equals(health.getStatus())
                    || !infoRefused(health.getDetails().get("error"))) {
                return health;
            }
            try (RedisConnection connection = factory.getConnection()) {
                String pong = connection.ping();
                return Health.up()
                        .withDetail("ping", String.valueOf(pong))
                        .withDetail(
                                "info",
                                "refused to our Redis user ("
                                        + health.getDetails().get("error") + ")")
                        .build();
            } catch (RuntimeException e) {
                return Health.down(e)
                        .withDetail("info", health.getDetails().get("error"))
                        .build();
            }
        };
    }

    /** Whether Spring Boot's health error is Redis refusing the command it asked, not Redis being unreachable. */
    static boolean infoRefused(Object error) {
        String lower = String.valueOf(error).toLowerCase(Locale.ROOT);
        return lower.contains("noperm") || lower.contains("unknown command");
    }
}
