package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;

/** Persistence of teams and member orders for the lock flow. */
public interface ITradeRepository {

    /** The order the partner placed for this user under this out trade number, in any state, or null. */
    MarketPayOrderEntity queryOrder(PartnerOrderKey key);

    /**
     * The partner's order under this key (any state, or null) and the user's live takes in the activity (orders
     * still holding a take: locked or paid), read together: both read the user's orders, and a lock pays one round
     * trip for them instead of two. A join ({@code teamId} not null) gets the team it names in the same round trip
     * (#19): the team's row is read then rather than by a statement of its own after the trial.
     */
    LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId);

    /**
     * Writes the lock in one transaction: the team row when new, else one more locked place guarded by
     * {@code lock_count < target_count} on an open, unexpired team (else {@code E0005}, or {@code E0206} when the team
     * had a place but failed or ended since it was read); then the member row. The
     * transaction may be shared with concurrent locks (group commit); the answer is this lock's own either way, given
     * only once its rows committed.
     *
     * @throws DuplicateOrderException when a unique key says another lock won a race
     */
    MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate);
}
