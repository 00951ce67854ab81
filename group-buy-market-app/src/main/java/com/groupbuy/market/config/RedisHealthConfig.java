package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisAnswer;
import com.groupbuy.market.types.exception.Causes;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
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
 * <p>
 * A Redis that cannot persist (a snapshot or an AOF write failed: disk full, {@code dir} gone) refuses every write with
 * {@code MISCONF} while it answers {@code INFO}, so the component read UP while every join was E0401 (RedisMisconfIT).
 * It is {@code OUT_OF_SERVICE} then, with {@code persisting: false} and a {@code reason}: not DOWN, Redis answers and
 * reads are served, as the {@code db} component for a read-only database. Found by a {@code PING}, which Redis refuses
 * with MISCONF under the same condition as a write: the check writes nothing, and reads UP as soon as Redis persists.
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
            String refusedInfo = null;
            try {
                super.doHealthCheck(builder);
            } catch (RuntimeException refused) {
                if (RedisOutages.refusedNewConnection(refused)) {
                    // The check's connection was one the pool grew, and Redis at its maxclients refused it: the pool's
                    // open connections serve (a request meeting it is sent again on one), so this is no Redis down,
                    // and a load balancer must not take every instance out for it (RedisClientLimitIT).
                    builder.up().withDetail("connections", AT_CLIENT_LIMIT);
                    return;
                }
                if (!infoRefused(refused)) {
                    throw refused;
                }
                refusedInfo = RedisAnswer.of(String.valueOf(refused.getMessage()));
                builder.up().withDetail("info", "refused to our Redis user: " + refusedInfo);
            }
            String unableToPersist = unableToPersist();
            if (unableToPersist != null) {
                builder.outOfService()
                        .withDetail("persisting", false)
                        .withDetail(
                                "reason",
                                "Redis refuses every write, it cannot persist (" + unableToPersist
                                        + "): joins and rated partners' requests are answered E0401");
            } else if (refusedInfo != null) {
                builder.withDetail("ping", "PONG");
            }
        }

        /**
         * Redis's MISCONF answer to {@code PING} (on a cluster: the first master's that answers so), else null. A
         * Redis that cannot persist refuses {@code PING} with it, exactly while it refuses every write: a read that
         * tells, where {@code INFO persistence} shows a failed snapshot but not whether {@code
         * stop-writes-on-bgsave-error} makes Redis refuse writes for it. Any other failure of a single Redis's {@code
         * PING} is thrown (DOWN, as when {@code INFO} was refused and {@code PING} failed); a cluster node's is left to
         * Spring Boot's {@code CLUSTER INFO}.
         */
        private String unableToPersist() {
            try (RedisConnection connection = factory.getConnection()) {
                if (connection instanceof RedisClusterConnection cluster) {
                    Iterable<RedisClusterNode> nodes;
                    try {
                        nodes = cluster.clusterGetNodes();
                    } catch (RuntimeException unknown) {
                        return null; // the nodes are Spring Boot's CLUSTER INFO's to judge
                    }
                    for (RedisClusterNode node : nodes) {
                        if (node.isMaster()) {
                            String answer = misconf(() -> cluster.ping(node), false);
                            if (answer != null) {
                                return node.asString() + " " + answer;
                            }
                        }
                    }
                    return null;
                }
                return misconf(connection::ping, true);
            }
        }
    }

    /**
     * The MISCONF refusal {@code ping} met, else null; another failure thrown when {@code rethrow}, else ignored,
     * except a new connection refused at Redis's maxclients (no answer about persisting: none this time).
     */
    static String misconf(Supplier<String> ping, boolean rethrow) {
        try {
            ping.get();
            return null;
        } catch (RuntimeException failure) {
            for (Throwable cause : Causes.of(failure)) {
                if (RedisOutages.unableToPersist(cause)) {
                    return RedisAnswer.of(cause.getMessage());
                }
            }
            if (rethrow && !RedisOutages.refusedNewConnection(failure)) {
                throw failure;
            }
            return null;
        }
    }

    /** The detail of a check whose new connection Redis refused at its maxclients. */
    static final String AT_CLIENT_LIMIT = "Redis refused the check a new connection at its maxclients (ERR max number"
            + " of clients reached): the pool's open connections serve";

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
