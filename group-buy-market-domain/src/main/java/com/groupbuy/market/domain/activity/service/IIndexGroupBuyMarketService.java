package com.groupbuy.market.domain.activity.service;

import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;

/**
 * The trial: what a user would pay for a goods and whether they may see and join its group buy. Refusals
 * (no configuration E0002, unknown plan E0001, switches E0003/E0004, activity state E0101/E0102) are thrown as
 * {@link com.groupbuy.market.types.exception.AppException}. Reads only cached configuration; writes nothing.
 */
public interface IIndexGroupBuyMarketService {

    TrialBalanceEntity indexMarketTrial(MarketProductEntity product);
}
