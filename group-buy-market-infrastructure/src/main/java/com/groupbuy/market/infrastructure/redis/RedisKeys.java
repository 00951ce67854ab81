package com.groupbuy.market.infrastructure.redis;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Builds every Redis key we write under one configurable prefix, so deployments and test classes never collide. */
@Component
public class RedisKeys {

    private final String prefix;

    public RedisKeys(@Value("${gbm.redis.key-prefix:gbm:}") String prefix) {
        this.prefix = prefix;
    }

    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }
}
