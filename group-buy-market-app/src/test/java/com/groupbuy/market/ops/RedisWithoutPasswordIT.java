package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.test.context.TestPropertySource;

/**
 * Prod's Redis settings with {@code REDIS_PASSWORD} unset ({@code password: ${REDIS_PASSWORD:}} resolves to an empty
 * string) against the local Redis, which has no password: the service starts and uses Redis, sending no AUTH.
 */
@IntegrationTest
@TestPropertySource(properties = "spring.data.redis.password=${REDIS_PASSWORD_UNSET_IN_THIS_TEST:}")
class RedisWithoutPasswordIT {

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisProperties redisProperties;

    @Test
    void anEmptyPasswordMeansNoAuthAndRedisWorks() {
        String key = "gbm-it-nopass:" + UUID.randomUUID();

        redisson.getBucket(key).set("v");

        assertThat(redisson.getBucket(key).get()).isEqualTo("v");
        assertThat(redisProperties.getPassword()).isNull();
        redisson.getBucket(key).delete();
    }
}
