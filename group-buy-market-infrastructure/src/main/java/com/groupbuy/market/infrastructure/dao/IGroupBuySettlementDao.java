package com.groupbuy.market.infrastructure.dao;

import com.groupbuy.market.infrastructure.dao.po.MemberOrderPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** The settlement statements over group_buy_order_list and group_buy_order. */
@Mapper
public interface IGroupBuySettlementDao {

    /** The partner's own order (source + channel + user + out trade number) joined with its team. */
    MemberOrderPO queryOrderById(@Param("orderId") String orderId);

    MemberOrderPO queryOrder(@Param("source") String source, @Param("channel") String channel,
                             @Param("userId") String userId, @Param("outTradeNo") String outTradeNo);

    /** Locked → paid; 0 rows when the order is no longer locked. */
    int markPaid(@Param("orderId") String orderId, @Param("outTradeTime") Instant outTradeTime);

    /** complete_count + 1 and complete at the target, only on an open team below its target; 0 rows otherwise. */
    int countPayment(@Param("teamId") String teamId);

    /** The team's status as this transaction left it (the row is locked by countPayment until commit). */
    Integer queryTeamStatus(@Param("teamId") String teamId);

    List<String> queryPaidOutTradeNos(@Param("teamId") String teamId);

    /** A payment notice for an order closed before it was paid: a row for the order, or one more notice on it. */
    void recordLatePayment(@Param("orderId") String orderId, @Param("userId") String userId,
                           @Param("outTradeNo") String outTradeNo, @Param("source") String source,
                           @Param("channel") String channel, @Param("teamId") String teamId,
                           @Param("activityId") Long activityId, @Param("outTradeTime") Instant outTradeTime);

    Integer queryLatePaymentNotices(@Param("orderId") String orderId);

    /** Late-paid orders ever recorded (the gauge operators watch). */
    long countLatePayments();
}
