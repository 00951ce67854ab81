package com.groupbuy.market.infrastructure.activity.dao;

import com.groupbuy.market.infrastructure.activity.po.MarketConfigPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Reads of the market configuration tables (activity, discount, sku, sc_sku_activity). */
@Mapper
public interface IMarketConfigDao {

    /**
     * A source + channel's goods configuration in one statement (one consistent reading): its mapping by
     * {@code sc_sku_activity}'s unique key, the mapped activity and its discount by theirs, the goods by its own.
     * Always one row.
     */
    MarketConfigPO queryMarketConfig(
            @Param("source") String source, @Param("channel") String channel, @Param("goodsId") String goodsId);
}
