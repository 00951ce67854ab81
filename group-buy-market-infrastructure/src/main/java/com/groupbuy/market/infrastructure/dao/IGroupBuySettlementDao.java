package com.groupbuy.market.infrastructure.dao;

import com.groupbuy.market.infrastructure.dao.po.MemberOrderPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** The settlement statements over group_buy_order_list and group_buy_order. */
@Mapper
public interface IGroupBuySettlementDao {

    MemberOrderPO queryOrder(@Param("userId") String userId, @Param("outTradeNo") String outTradeNo);

    /** Locked → paid; 0 rows when the order is no longer locked. */
    int markPaid(@Param("orderId") String orderId, @Param("outTradeTime") Instant outTradeTime);

    /** complete_count + 1 and complete at the target, only on an open team below its target; 0 rows otherwise. */
    int countPayment(@Param("teamId") String teamId);

    /** The team's status as this transaction left it (the row is locked by countPayment until commit). */
    Integer queryTeamStatus(@Param("teamId") String teamId);

    List<String> queryPaidOutTradeNos(@Param("teamId") String teamId);
}
