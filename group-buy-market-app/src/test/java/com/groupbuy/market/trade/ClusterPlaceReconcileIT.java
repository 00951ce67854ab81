package com.groupbuy.market.trade;

import com.groupbuy.market.support.RedisClusterMode;

/**
 * {@link PlaceReconcileIT} with Redisson in cluster mode: the sweep reads a page's counters as a batch of one HGET per
 * team (the keys span slots, so not the single node's one script) and corrects each team with its own script.
 */
@RedisClusterMode
class ClusterPlaceReconcileIT extends PlaceReconcileIT {}
