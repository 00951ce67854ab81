package com.groupbuy.market.config.outage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import com.groupbuy.market.infrastructure.outage.RedisLinks;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.trigger.job.OutageOf;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.sql.DataSource;
import lombok.extern.slf4j.Slf4j;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.DelayStrategy;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.ReadMode;
import org.redisson.connection.ConnectionListener;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Outages answered fast: one breaker per dependency (Redis around the place scripts, the database around the pool),
 * Redisson retrying a failed command once instead of three times, and the resolver that turns any outage into
 * E0401 / HTTP 503 with Retry-After. Connection and command timeouts themselves are in application.yml.
 */
@Slf4j
@Configuration
public class OutageConfig {

    @Bean
    public DependencyBreaker redisBreaker(OutageProperties properties) {
        return new DependencyBreaker("redis", properties.getBreakerThreshold(), properties.getBreakerOpenFor());
    }

    @Bean
    public DependencyBreaker databaseBreaker(OutageProperties properties) {
        return new DependencyBreaker("database", properties.getBreakerThreshold(), properties.getBreakerOpenFor());
    }

    /** Redis calls through the Redis breaker, sent again after a restart within {@code gbm.outage.redis-resend-within}. */
    @Bean
    public RedisOutages redisOutages(DependencyBreaker redisBreaker, RedisLinks links, OutageProperties properties) {
        return new RedisOutages(
                redisBreaker, links, properties.getRedisResendWithin(), properties.getRedisReconnectWait());
    }

    /** The local schedulers' outages (logged once each, not once a run): what partners are answered E0401 for. */
    @Bean
    public OutageOf outageOf() {
        return DependencyOutageResolver::outage;
    }

    @Bean
    public DependencyOutageResolver dependencyOutageResolver(ObjectMapper json, OutageProperties properties) {
        return new DependencyOutageResolver(json, properties.getRetryAfter().toSeconds());
    }

    /** The pool whose connections a write refused as read-only retires: none in a context without a database. */
    @Bean
    public StaleWriterEviction staleWriterEviction(
            org.springframework.beans.factory.ObjectProvider<DataSource> dataSource) {
        return new StaleWriterEviction(dataSource.getIfAvailable());
    }

    /** The writes refused for want of disk space, held for the {@code db} health component. */
    @Bean
    public SpaceRefusals spaceRefusals(OutageProperties properties) {
        return new SpaceRefusals(properties.getDiskFullHealthFor());
    }

    /**
     * MyBatis takes every Interceptor bean: each statement's read-only refusal, whoever ran it, retires the pool; each
     * refusal for want of space is held for health until that statement writes again.
     */
    @Bean
    public StaleWriterInterceptor staleWriterInterceptor(StaleWriterEviction staleWriters, SpaceRefusals space) {
        return new StaleWriterInterceptor(staleWriters, space);
    }

    /** Wraps the pool (by type: the only DataSource) so a known-down database fails getConnection at once. */
    @Bean
    public static BeanPostProcessor databaseBreakerPostProcessor(
            org.springframework.beans.factory.ObjectProvider<DependencyBreaker> breakers) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource pool
                        && !(bean instanceof BreakingDataSource)
                        && "dataSource".equals(beanName)) {
                    DependencyBreaker database = breakers.stream()
                            .filter(b -> "database".equals(b.dependency()))
                            .findFirst()
                            .orElseThrow();
                    return new BreakingDataSource(pool, database);
                }
                return bean;
            }
        };
    }

    /**
     * Redisson's defaults retry a command that found no connection three times 1.5 s apart, so a caller waited up to
     * nine seconds for the 500 of a Redis outage. One retry after a short pause rides out a reconnect and no more.
     */
    @Bean
    public RedissonAutoConfigurationCustomizer boundedRedisRetries(OutageProperties properties, RedisLinks links) {
        return config -> {
            ConnectionListener existing = config.getConnectionListener();
            config.setConnectionListener(existing == null ? links : new BothListeners(existing, links));
            BaseConfig<?> server = serverConfig(config);
            if (server == null) {
                return;
            }
            Duration interval = properties.getRedisRetryInterval();
            DelayStrategy fixed = attempt -> interval;
            server.setRetryAttempts(properties.getRedisRetryAttempts());
            server.setRetryDelay(fixed);
            server.setReconnectionDelay(
                    new EqualJitterDelay(properties.getRedisReconnectFirst(), properties.getRedisReconnectMax()));
        };
    }

    /**
     * On a Redis Cluster every read goes to the master, as every write does. Redisson reads from replicas by default,
     * and a replica answers from whatever it holds: one that restarted (nothing persisted) serves an empty dataset
     * until its full sync with the master is done, seconds at least (the master first waits {@code
     * repl-diskless-sync-delay} for more replicas), so a console session signed out read as signed in again, and a
     * tag's members as none (ClusterReplicaReadIT). Replicas stay what takes over a failed master.
     */
    @Bean
    public RedissonAutoConfigurationCustomizer readsFromMasters() {
        return config -> {
            if (config.isClusterConfig() && serverConfig(config) instanceof BaseMasterSlaveServersConfig<?> cluster) {
                cluster.setReadMode(ReadMode.MASTER);
            }
        };
    }

    /** Redisson takes one connection listener: ours beside one set elsewhere. */
    private record BothListeners(ConnectionListener first, ConnectionListener second) implements ConnectionListener {

        @Override
        public void onConnect(InetSocketAddress node) {
            first.onConnect(node);
            second.onConnect(node);
        }

        @Override
        public void onDisconnect(InetSocketAddress node) {
            first.onDisconnect(node);
            second.onDisconnect(node);
        }
    }

    /**
     * The server block the starter built (single server, or the cluster's when spring.data.redis.cluster.nodes is
     * set); Redisson keeps its getters protected, so it is read reflectively.
     */
    private static BaseConfig<?> serverConfig(Config config) {
        String getterName;
        if (config.isSingleConfig()) {
            getterName = "getSingleServerConfig";
        } else if (config.isClusterConfig()) {
            getterName = "getClusterServersConfig";
        } else {
            log.warn("Redis retries left at Redisson's defaults: neither a single-server nor a cluster configuration");
            return null;
        }
        try {
            Method getter = Config.class.getDeclaredMethod(getterName);
            getter.setAccessible(true);
            return (BaseConfig<?>) getter.invoke(config);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Redis retries left at Redisson's defaults: {}", e.toString());
            return null;
        }
    }
}
