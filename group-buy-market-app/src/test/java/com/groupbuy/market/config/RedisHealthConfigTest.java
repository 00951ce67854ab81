package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.springframework.dao.InvalidDataAccessApiUsageException;

class RedisHealthConfigTest {

    @Test
    void aRefusedOrRenamedInfoIsReadAgainByPing() {
        assertThat(RedisHealthConfig.infoRefused(new InvalidDataAccessApiUsageException(
                        "wrapped",
                        new RedisException("NOPERM this user has no permissions to run the 'info' command"))))
                .isTrue();
        assertThat(RedisHealthConfig.infoRefused(new RedisException("ERR unknown command 'INFO', with args")))
                .isTrue();
    }

    @Test
    void aRedisThatCannotBeReachedStaysDown() {
        assertThat(RedisHealthConfig.infoRefused(new RedisException("Unable to connect to Redis server")))
                .isFalse();
        assertThat(RedisHealthConfig.infoRefused(null)).isFalse();
    }
}
