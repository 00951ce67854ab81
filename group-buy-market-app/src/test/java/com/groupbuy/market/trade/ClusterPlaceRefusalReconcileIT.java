package com.groupbuy.market.trade;

import com.groupbuy.market.support.RedisClusterMode;

/** {@link PlaceRefusalReconcileIT} with Redisson in cluster mode: a refused join's look at its team on the cluster. */
@RedisClusterMode
class ClusterPlaceRefusalReconcileIT extends PlaceRefusalReconcileIT {}
