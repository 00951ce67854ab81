package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** The settlement statements over group_buy_order_list and group_buy_order. */
@Mapper
public interface IGroupBuySettlementDao {

    /** The order with this id (unique) joined with its team, whichever partner placed it. */
    MemberOrderPO queryOrderById(@Param("orderId") String orderId);

    /**
     * The partner's own order (source + channel + user + out trade number, compared exactly) joined with its team;
     * null when that partner has no such order.
     */
    PartnerOrderRow queryOrder(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo);

    /** {@code from} → {@code to} (locked → paid); 0 rows when the order is no longer in {@code from}. */
    int markPaid(
            @Param("orderId") String orderId,
            @Param("outTradeTime") Instant outTradeTime,
            @Param("from") int from,
            @Param("to") int to);

    /**
     * complete_count + 1 and the status {@code otherwise}, only on a team in {@code from} where that leaves at least one
     * place unpaid; 0 rows otherwise.
     */
    int countPaymentLeavingPlaces(
            @Param("teamId") String teamId, @Param("from") int from, @Param("otherwise") int otherwise);

    /**
     * complete_count + 1 and the status {@code whenFilled}, only on a team in {@code from} where that pays its last
     * place; 0 rows otherwise.
     */
    int countPaymentFillingLastPlace(
            @Param("teamId") String teamId, @Param("from") int from, @Param("whenFilled") int whenFilled);

    /** The trade numbers of the team's orders in {@code paid}, in the order they were locked. */
    List<String> queryPaidOutTradeNos(@Param("teamId") String teamId, @Param("paid") int paidStatus);

    /** A payment notice for an order closed before it was paid: a row for the order, or one more notice on it. */
    void recordLatePayment(
            @Param("orderId") String orderId,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("teamId") String teamId,
            @Param("activityId") Long activityId,
            @Param("outTradeTime") Instant outTradeTime);

    Integer queryLatePaymentNotices(@Param("orderId") String orderId);

    /** Late-paid orders ever recorded (the gauge operators watch). */
    long countLatePayments();
}
