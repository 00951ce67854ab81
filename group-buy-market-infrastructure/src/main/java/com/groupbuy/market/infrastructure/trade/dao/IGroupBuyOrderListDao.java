package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import com.groupbuy.market.infrastructure.trade.po.RepeatedOrderPO;
import java.util.List;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.SelectProvider;

/** Statements on group_buy_order_list (member orders). */
@Mapper
public interface IGroupBuyOrderListDao {

    /** A member row; the group-commit writer queues a batch's on a batch session, sent as one multi-row statement. */
    void insert(GroupBuyOrderListPO order);

    /** The partner's order for a repeated lock, with the notify target it gave the team when it opened it. */
    RepeatedOrderPO queryByOutTradeNo(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo);

    /** One row always: the order id null when the partner has no such order; live takes = not closed. */
    OrderLookupPO queryByOutTradeNoWithLiveTakes(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo,
            @Param("activityId") Long activityId,
            @Param("closed") int closedStatus);

    /**
     * Which of these order ids have a row (uq_order_id): read on a fresh connection after a commit whose answer was
     * lost, to learn whether the locks that drew them committed.
     */
    List<String> queryExistingOrderIds(@Param("orderIds") List<String> orderIds);

    /** The first read of several locks in one statement: one row per key, its index the key's place in the list. */
    @SelectProvider(type = LookupSql.class, method = "lookups")
    @Lang(ParsedOnceLanguageDriver.class)
    @ResultMap("orderLookupBatch")
    List<OrderLookupPO> queryLookups(@Param("keys") List<LookupKeyPO> keys, @Param("closed") int closedStatus);
}
