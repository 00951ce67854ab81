package com.groupbuy.market.trade;

import com.groupbuy.market.support.RedisClusterMode;

/** {@link ScriptFlushLockIT} in cluster mode: the flush reaches every master, each loads the scripts again. */
@RedisClusterMode
class ClusterScriptFlushLockIT extends ScriptFlushLockIT {}
