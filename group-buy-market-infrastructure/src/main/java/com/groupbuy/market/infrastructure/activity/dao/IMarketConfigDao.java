package com.groupbuy.market.infrastructure.activity.dao;

import com.groupbuy.market.infrastructure.activity.po.GroupBuyActivityPO;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyDiscountPO;
import com.groupbuy.market.infrastructure.activity.po.SkuPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Reads of the market configuration tables (activity, discount, sku, sc_sku_activity); each by its unique key. */
@Mapper
public interface IMarketConfigDao {

    GroupBuyActivityPO queryActivity(@Param("activityId") Long activityId);

    GroupBuyDiscountPO queryDiscount(@Param("discountId") String discountId);

    SkuPO querySku(@Param("goodsId") String goodsId);

    Long queryActivityIdBySourceChannelGoods(
            @Param("source") String source, @Param("channel") String channel, @Param("goodsId") String goodsId);
}
