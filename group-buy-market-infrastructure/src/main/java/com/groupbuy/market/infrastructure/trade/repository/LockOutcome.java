package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.types.enums.ResponseCode;

/**
 * What became of one lock of a batch: written (its order), refused by a guard that wrote nothing (the team full in
 * the database: {@code E0005}), or neither ({@link #ALONE}) when the batch could not be written: the caller then
 * writes the lock alone.
 */
public record LockOutcome(MarketPayOrderEntity order, ResponseCode refusal) {

    public static final LockOutcome ALONE = new LockOutcome(null, null);

    public static LockOutcome written(MarketPayOrderEntity order) {
        return new LockOutcome(order, null);
    }

    public static LockOutcome refused(ResponseCode refusal) {
        return new LockOutcome(null, refusal);
    }
}
