package com.groupbuy.market.infrastructure.dcc;

import com.groupbuy.market.domain.switches.adapter.port.ISwitchBroadcast;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import lombok.extern.slf4j.Slf4j;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * #17: switch changes pushed to every instance over Redis pub/sub (a Redisson topic under our key prefix). The
 * message only names the switch; each receiver reloads the stored values, off Redisson's I/O thread. Publishing is
 * best effort: the change is already stored, and an instance that missed the message picks it up on its periodic
 * reload.
 */
@Slf4j
public class RedisSwitchBroadcast implements ISwitchBroadcast {

    private final RTopic topic;

    public RedisSwitchBroadcast(RedissonClient redisson, RedisKeys keys) {
        this.topic = redisson.getTopic(keys.key("switches", "changed"), StringCodec.INSTANCE);
    }

    @Override
    public void changed(String switchName) {
        try {
            long receivers = topic.publish(switchName);
            log.info("switch {} change announced to {} instance(s)", switchName, receivers);
        } catch (RuntimeException e) {
            log.warn(
                    "switch {} change stored but not announced ({}); other instances take it on their next "
                            + "periodic reload",
                    switchName,
                    e.toString());
        }
    }

    /** Calls {@code reload} on {@code executor} for every announced change. */
    public void subscribe(Runnable reload, ExecutorService executor) {
        topic.addListener(String.class, (channel, name) -> {
            try {
                executor.execute(reload);
            } catch (RejectedExecutionException e) {
                log.warn("switch {} change not reloaded at once (shutting down?)", name);
            }
        });
    }
}
