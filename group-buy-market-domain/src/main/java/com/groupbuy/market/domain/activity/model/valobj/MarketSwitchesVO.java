package com.groupbuy.market.domain.activity.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Getter;

/**
 * Operational switches read on every trial: {@code degrade} turns group buying off; {@code cutRangePercent}
 * (0-100) admits only that share of users, chosen by a stable hash of the user id.
 */
@Getter
@AllArgsConstructor
public class MarketSwitchesVO {

    private final boolean degrade;
    private final int cutRangePercent;

    public boolean admits(String userId) {
        if (cutRangePercent >= 100) {
            return true;
        }
        return Math.floorMod(userId.hashCode(), 100) < cutRangePercent;
    }
}
