package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisHealthConfigTest {

    @Test
    void aRefusedOrRenamedInfoIsReadAgainByPing() {
        assertThat(RedisHealthConfig.infoRefused("org.springframework.data.redis.RedisSystemException: NOPERM this user"
                        + " has no permissions to run the 'info' command"))
                .isTrue();
        assertThat(RedisHealthConfig.infoRefused("RedisSystemException: ERR unknown command 'INFO', with args"))
                .isTrue();
    }

    @Test
    void aRedisThatCannotBeReachedStaysDown() {
        assertThat(RedisHealthConfig.infoRefused(
                        "org.springframework.data.redis.RedisConnectionFailureException: Unable to connect"))
                .isFalse();
        assertThat(RedisHealthConfig.infoRefused(null)).isFalse();
    }
}
