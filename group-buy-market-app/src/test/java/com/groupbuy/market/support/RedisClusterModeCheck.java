package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.redis.RedisKeys;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A cluster-mode test that silently ran on the single node would prove nothing: this makes it fail instead. After
 * each test it deletes the keys of the class's prefix on every master, so the cluster keeps no test's leftovers.
 */
public class RedisClusterModeCheck implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        ApplicationContext spring = SpringExtension.getApplicationContext(context);
        String prefix = spring.getEnvironment().getRequiredProperty("gbm.redis.key-prefix");
        spring.getBean(RedissonClient.class).getKeys().deleteByPattern(prefix + "*");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ApplicationContext spring = SpringExtension.getApplicationContext(context);
        assertThat(spring.getBean(RedissonClient.class).getConfig().isClusterConfig())
                .as("Redisson in cluster mode (is the cluster up? bash .ci/redis-cluster)")
                .isTrue();
        assertThat(spring.getBean(RedisKeys.class).slotTagged())
                .as("keys carry hash tags")
                .isTrue();
    }
}
