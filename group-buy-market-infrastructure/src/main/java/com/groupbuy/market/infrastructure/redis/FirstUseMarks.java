package com.groupbuy.market.infrastructure.redis;

import java.time.Duration;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * "Have we seen this before?" shared by every instance: one {@code SET NX} with an expiry per name, so the first
 * caller wins and every later one within the expiry is told it came second.
 */
@Component
public class FirstUseMarks {

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public FirstUseMarks(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    /** True for the first call with these parts within {@code ttl}; false while the mark lives. */
    public boolean markFirstUse(Duration ttl, String... parts) {
        return redisson.getBucket(keys.key(parts), StringCodec.INSTANCE).setIfAbsent("1", ttl);
    }
}
