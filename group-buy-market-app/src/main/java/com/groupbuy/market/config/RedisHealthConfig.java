package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.redis.RedisAnswer;
import com.groupbuy.market.types.exception.Causes;
import java.util.Locale;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code redis} health component. Spring Boot's asks Redis {@code INFO server} (a cluster: {@code CLUSTER INFO}),
 * and a Redis user without {@code INFO} — {@code +@all -@dangerous}, the usual ACL for an application, takes it away,
 * as does a managed Redis that renames it — made {@code /actuator/health} and {@code /traffic} 503 DOWN while every
 * lock, settlement and refund was served (RedisServerAclIT): a load balancer took every instance out. Only that
 * refusal is now read again by a {@code PING}, the command Redis answers to any user that may talk to it (Redisson
 * sends it on every new connection): UP if it answers, DOWN if not. Every other answer is Spring Boot's, unchanged
 * (Redis down is DOWN).
 */
@Configuration
public class RedisHealthConfig {

    /** Named so Spring Boot's own Redis health contributors step aside. */
    @Bean
    public HealthIndicator redisHealthContributor(RedisConnectionFactory factory) {
        return new PingWhenInfoRefused(factory);
    }

    /**
     * Spring Boot's check, with a refused {@code INFO} answered by a {@code PING} before it counts as a failure
     * (Spring's would log a WARN with a stack trace at every probe of a load balancer).
     */
    static final class PingWhenInfoRefused extends RedisHealthIndicator {

        private final RedisConnectionFactory factory;

        PingWhenInfoRefused(RedisConnectionFactory factory) {
            super(factory);
            this.factory = factory;
        }

        @Override
        protected void doHealthCheck(Health.Builder builder) throws Exception {
            try {
                super.doHealthCheck(builder);
            } catch (RuntimeException refused) {
                if (!infoRefused(refused)) {
                    throw refused;
                }
                try (RedisConnection connection = factory.getConnection()) {
                    builder.up()
                            .withDetail("ping", String.valueOf(connection.ping()))
                            .withDetail(
                                    "info",
                                    "refused to our Redis user: "
                                            + RedisAnswer.of(String.valueOf(refused.getMessage())));
                }
            }
        }
    }

    /** Whether Spring Boot's health error is Redis refusing the command it asked, not Redis being unreachable. */
    static boolean infoRefused(Throwable error) {
        for (Throwable cause : Causes.of(error)) {
            String lower = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (lower.contains("noperm") || lower.contains("unknown command")) {
                return true;
            }
        }
        return false;
    }
}
