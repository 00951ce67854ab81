package com.groupbuy.market.infrastructure.dcc;

import com.groupbuy.market.domain.switches.adapter.port.ISwitchBroadcast;
import com.groupbuy.market.infrastructure.redis.RedisAnswer;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.types.exception.Causes;
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

    /**
     * Calls {@code reload} on {@code executor} for every announced change. A Redis user that may not use our channel
     * (Redis 7 gives a new ACL user no channels at all, {@code acl-pubsub-default resetchannels}: {@code ~* +@all}
     * without {@code &*}) answers the SUBSCRIBE with {@code NOPERM}, which Redisson reported only as "Subscription
     * response timeout after 1000ms. Check network and/or increase 'timeout' parameter": the start failed pointing at
     * the network. A failed subscription now asks Redis once more with a PUBLISH on the channel (a reload on any
     * instance that hears it) and, when that is refused, refuses the start naming the permission.
     */
    public void subscribe(Runnable reload, ExecutorService executor) {
        try {
            topic.addListener(String.class, (channel, name) -> {
                try {
                    executor.execute(reload);
                } catch (RejectedExecutionException e) {
                    log.warn("switch {} change not reloaded at once (shutting down?)", name);
                }
            });
        } catch (RuntimeException e) {
            String refusal;
            try {
                topic.publish("");
                refusal = null;
            } catch (RuntimeException publish) {
                refusal = channelRefusal(topic.getChannelNames().get(0), publish);
            }
            if (refusal == null) {
                throw e;
            }
            IllegalStateException refused = new IllegalStateException(refusal);
            refused.addSuppressed(e);
            throw refused;
        }
    }

    /** The start's refusal when Redis's answer is a missing channel permission, else null. */
    static String channelRefusal(String channel, Throwable answer) {
        for (Throwable cause : Causes.of(answer)) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("NOPERM")) {
                return "refusing to start: Redis refuses our live-switch channel " + channel + " ("
                        + RedisAnswer.of(message) + "); grant the Redis user its pub/sub"
                        + " channels (&* or at least &" + channel + "): Redis 7 gives a new ACL user none"
                        + " (acl-pubsub-default resetchannels) (docs/operations.md)";
            }
        }
        return null;
    }
}
