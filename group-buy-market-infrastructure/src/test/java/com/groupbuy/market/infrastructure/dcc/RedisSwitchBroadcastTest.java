package com.groupbuy.market.infrastructure.dcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;

class RedisSwitchBroadcastTest {

    @Test
    void aRefusedChannelNamesThePermissionAndTheChannel() {
        RedisException noperm = new RedisException(
                "NOPERM this user has no permissions to access one of the channels"
                        + " used as arguments. channel: [id: 0x1, L:/127.0.0.1:1 - R:127.0.0.1/127.0.0.1:6379] command: (PUBLISH)");
        assertThat(RedisSwitchBroadcast.channelRefusal("gbm:switches:changed", new RuntimeException("wrapped", noperm)))
                .startsWith("refusing to start: Redis refuses our live-switch channel gbm:switches:changed (NOPERM this"
                        + " user has no permissions to access one of the channels used as arguments)")
                .contains("&* or at least &gbm:switches:changed")
                .contains("acl-pubsub-default resetchannels")
                .doesNotContain("0x1");
    }

    @Test
    void anyOtherFailureIsNotARefusal() {
        assertThat(RedisSwitchBroadcast.channelRefusal(
                        "gbm:switches:changed", new RedisException("Subscription response timeout after 1000ms")))
                .isNull();
    }
}
