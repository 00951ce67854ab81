package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;

/**
 * What a lock reads before anything else, in one round trip: the order this partner already placed under the out
 * trade number (null when none) and how many live takes (locked or paid orders) the user holds in the activity.
 */
public record LockLookupVO(MarketPayOrderEntity existing, int liveTakes) {}
