package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.TeamEntity;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;

/** Persistence of teams and member orders for the lock flow. */
public interface ITradeRepository {

    /** The order the partner placed for this user under this out trade number, in any state, or null. */
    MarketPayOrderEntity queryOrder(PartnerOrderKey key);

    /** Orders of this user in this activity that still hold a take (locked or paid). */
    int countLiveTakes(Long activityId, String userId);

    TeamEntity queryTeam(String teamId);

    /**
     * Writes the lock in one transaction: the team row when new, else one more locked place guarded by
     * {@code lock_count < target_count} on an open, unexpired team (else {@code E0005}); then the member row.
     *
     * @throws DuplicateOrderException when a unique key says another lock won a race
     */
    MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate);
}
