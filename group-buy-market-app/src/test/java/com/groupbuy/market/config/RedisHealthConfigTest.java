package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.RedisSystemException;

class RedisHealthConfigTest {

    private static final String MISCONF =
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk";

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

    @Test
    void aPingRefusedForWantOfPersistenceIsTold() {
        assertThat(RedisHealthConfig.misconf(
                        () -> {
                            throw new RedisSystemException(
                                    "wrapped", new RedisException(MISCONF + ". channel: [id: 0x1] command: PING"));
                        },
                        true))
                .isEqualTo(MISCONF);
        assertThat(RedisHealthConfig.misconf(() -> "PONG", true)).isNull();
    }

    @Test
    void anotherFailureOfPingIsThrownOrLeftToClusterInfo() {
        RedisException unreachable = new RedisException("Unable to connect to Redis server");
        assertThatThrownBy(() -> RedisHealthConfig.misconf(
                        () -> {
                            throw unreachable;
                        },
                        true))
                .isSameAs(unreachable);
        assertThat(RedisHealthConfig.misconf(
                        () -> {
                            throw unreachable;
                        },
                        false))
                .isNull();
    }

    @Test
    void aPingWhoseNewConnectionRedisRefusedAtItsMaxclientsIsNoFailure() {
        RedisException maxclients = new RedisException("ERR max number of clients reached. channel: [id: 0x2]");
        assertThat(RedisHealthConfig.misconf(
                        () -> {
                            throw new RedisSystemException("wrapped", maxclients);
                        },
                        true))
                .isNull();
    }
}
