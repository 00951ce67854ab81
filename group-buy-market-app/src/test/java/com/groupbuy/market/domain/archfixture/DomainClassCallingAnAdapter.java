package com.groupbuy.market.domain.archfixture;

import com.groupbuy.market.infrastructure.redis.RedisKeys;

/** Breaks "the domain depends on no outer module": it calls an infrastructure class. */
public class DomainClassCallingAnAdapter {

    public String key(RedisKeys keys) {
        return keys.toString();
    }
}
