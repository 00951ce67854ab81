package com.groupbuy.market.infrastructure.redis;

import com.groupbuy.market.infrastructure.outage.RedisOutages;
import java.time.Duration;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * "Have we seen this before?" shared by every instance: one {@code SET NX} with an expiry per name, so the first
 * caller wins and every later one within the expiry is told it came second.
 * <p>
 * Through the Redis breaker ({@link RedisOutages}): after a Redis restart a mark that met a pooled connection the old
 * server closed is sent again on a live one instead of answering the partner E0401. It is sent with Redisson's retries
 * off: Redisson sent a command again after a late answer, when it may have run, and this one would then find its own
 * mark and call a partner's first request a replay (E0210). A late answer is E0401; the partner signs its retry anew.
 */
@Component
public class FirstUseMarks {

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RedisOutages outages;

    public FirstUseMarks(RedissonClient redisson, RedisKeys keys, RedisOutages outages) {
        this.redisson = redisson;
        this.keys = keys;
        this.outages = outages;
    }

    /**
     * True for the first call with these parts within {@code ttl}; false while the mark lives. Each part is escaped
     * ({@link RedisKeys#part}): joined as sent, a webhook-id {@code k:1} of (s01, c01) was the mark of id {@code 1} of
     * (s01, {@code c01:k}).
     */
    public boolean markFirstUse(Duration ttl, String... parts) {
        String name =
                keys.key(java.util.Arrays.stream(parts).map(RedisKeys::part).toArray(String[]::new));
        return outages.call(() -> redisson.<String>getBucket(
                        PlainOptions.name(name).codec(StringCodec.INSTANCE).retryAttempts(0))
                .setIfAbsent("1", ttl));
    }
}
