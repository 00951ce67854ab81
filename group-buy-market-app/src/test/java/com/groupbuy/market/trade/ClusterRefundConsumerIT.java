package com.groupbuy.market.trade;

import com.groupbuy.market.support.RedisClusterMode;

/** {@link RefundConsumerIT} again with Redisson in cluster mode on a 3-master Redis Cluster (issue 19). */
@RedisClusterMode
class ClusterRefundConsumerIT extends RefundConsumerIT {}
