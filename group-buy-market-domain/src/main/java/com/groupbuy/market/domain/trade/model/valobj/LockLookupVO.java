package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;

/**
 * What a lock reads before anything else, in one round trip: the order this partner already placed under the out
 * trade number (null when none), how many live takes (locked or paid orders) the user holds in the activity, and
 * for a join the team it names as read then (null when it opens a team or no team has that id).
 */
public record LockLookupVO(MarketPayOrderEntity existing, int liveTakes, Team namedTeam) {}
