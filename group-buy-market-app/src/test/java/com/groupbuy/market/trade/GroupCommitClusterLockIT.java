package com.groupbuy.market.trade;

import com.groupbuy.market.support.LockGroupCommitOn;
import com.groupbuy.market.support.RedisClusterMode;

/** {@link LockIT} again with group commit of locks on (#19) and Redisson in cluster mode on a 3-master cluster. */
@RedisClusterMode
@LockGroupCommitOn
class GroupCommitClusterLockIT extends LockIT {}
