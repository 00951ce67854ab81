package com.groupbuy.market.infrastructure.dao;

import com.groupbuy.market.infrastructure.dao.po.GroupBuyOrderListPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements on group_buy_order_list (member orders). */
@Mapper
public interface IGroupBuyOrderListDao {

    void insert(GroupBuyOrderListPO order);

    GroupBuyOrderListPO queryByOutTradeNo(@Param("source") String source, @Param("channel") String channel,
                                          @Param("userId") String userId, @Param("outTradeNo") String outTradeNo);

    int countLiveTakes(@Param("activityId") Long activityId, @Param("userId") String userId);
}
