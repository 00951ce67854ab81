package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisEvictionPolicyCheckTest {

    @Test
    void everyEvictingPolicyIsRefusedAndNamesTheWayOut() {
        for (String policy : new String[] {
            "allkeys-lru",
            "allkeys-lfu",
            "allkeys-random",
            "volatile-lru",
            "volatile-lfu",
            "volatile-random",
            "volatile-ttl"
        }) {
            assertThatThrownBy(() -> RedisEvictionPolicyCheck.verify("10.0.0.1:6379", policy))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("refusing to start: Redis 10.0.0.1:6379 runs maxmemory-policy " + policy)
                    .hasMessageContaining("set maxmemory-policy noeviction");
        }
    }

    @Test
    void noevictionAndAnUnreportedPolicyStart() {
        assertThatCode(() -> RedisEvictionPolicyCheck.verify("10.0.0.1:6379", "noeviction"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RedisEvictionPolicyCheck.verify("10.0.0.1:6379", null))
                .doesNotThrowAnyException();
    }
}
