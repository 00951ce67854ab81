package com.groupbuy.market.domain.archfixture;

import org.redisson.api.RedissonClient;

/** Breaks "the domain uses no infrastructure technology": a Redisson client in the domain. */
public class DomainClassHoldingRedisson {

    private final RedissonClient redisson;

    public DomainClassHoldingRedisson(RedissonClient redisson) {
        this.redisson = redisson;
    }

    public RedissonClient redisson() {
        return redisson;
    }
}
