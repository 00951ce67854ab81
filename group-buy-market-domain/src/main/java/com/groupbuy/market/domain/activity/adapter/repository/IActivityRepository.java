package com.groupbuy.market.domain.activity.adapter.repository;

import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;

/** Market configuration, read through an in-process cache: the trial and lock paths never hit these tables per call. */
public interface IActivityRepository {

    /**
     * What a source + channel sells a goods through, as one reading of the tables ({@link MarketConfigVO}): the mapped
     * activity, its discount and the goods, never rows read (or cached) at different times.
     */
    MarketConfigVO queryMarketConfig(String source, String channel, String goodsId);
}
