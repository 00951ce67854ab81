package com.groupbuy.market.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.TestPropertySource;

/**
 * Runs an {@link IntegrationTest} against the 3-master Redis Cluster that {@code .ci/redis-cluster} starts on
 * 127.0.0.1:7101-7103 (GBM_TEST_REDIS_CLUSTER overrides the nodes): Redisson in cluster mode, keys with hash tags.
 * {@link RedisClusterModeCheck} fails every test of the class when the client is not a cluster client after all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@TestPropertySource(
        properties = "spring.data.redis.cluster.nodes="
                + "${GBM_TEST_REDIS_CLUSTER:127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103}")
@ExtendWith(RedisClusterModeCheck.class)
public @interface RedisClusterMode {}
