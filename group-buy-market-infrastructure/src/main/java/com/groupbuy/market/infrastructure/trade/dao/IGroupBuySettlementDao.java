package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.po.LockedOrderPO;
import com.groupbuy.market.infrastructure.trade.po.LockedTeamPO;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.NotifySettingsPO;
import com.groupbuy.market.infrastructure.trade.po.OrderPaymentRow;
import com.groupbuy.market.infrastructure.trade.po.PaidMemberPO;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderLookupRow;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;
import com.groupbuy.market.infrastructure.trade.po.TeamCountRow;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.SelectProvider;
import org.apache.ibatis.annotations.UpdateProvider;

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

    /**
     * {@link #queryOrder} for several keys in one statement (#19, settlement lookups read together): one row per key,
     * its index the key's place in the list, with the order's own key columns as stored; every order column null where
     * the read alone finds nothing.
     */
    @SelectProvider(type = LookupSql.class, method = "orders")
    @Lang(ParsedOnceLanguageDriver.class)
    @ResultMap("partnerOrderLookupRow")
    List<PartnerOrderLookupRow> queryOrders(@Param("keys") List<PartnerOrderKey> keys);

    /**
     * In one statement (both rows or neither): the order {@code from} → {@code to} (locked → paid) with its trade
     * time, and its team's complete_count + 1 and status {@code teamTo}, only on a team in {@code teamFrom} where
     * that leaves at least one place unpaid. Returns the rows matched: 2 when both moved, else 0.
     */
    int payLeavingPlaces(
            @Param("orderId") String orderId,
            @Param("teamId") String teamId,
            @Param("outTradeTime") Instant outTradeTime,
            @Param("from") int from,
            @Param("to") int to,
            @Param("teamFrom") int teamFrom,
            @Param("teamTo") int teamTo);

    /**
     * As {@link #payLeavingPlaces}, but only where the payment pays the team's last place, which moves to
     * {@code teamTo} (the filled state). Returns the rows matched: 2 when both moved, else 0.
     */
    int payFillingLastPlace(
            @Param("orderId") String orderId,
            @Param("teamId") String teamId,
            @Param("outTradeTime") Instant outTradeTime,
            @Param("from") int from,
            @Param("to") int to,
            @Param("teamFrom") int teamFrom,
            @Param("teamTo") int teamTo);

    /**
     * Locks the rows of these orders (and their {@code uq_order_id} entries) in order id order, as a settlement batch's
     * first statement (group commit, #19): every order row of the batch before any team row, as a settlement, refund
     * or close alone locks its order before its team. Returns the orders found, each with its state as locked (what a
     * batch that pays together counts on).
     */
    List<LockedOrderPO> lockOrders(@Param("orderIds") List<String> orderIds);

    /**
     * Locks these teams' rows (uq_team_id, in team id order) after the batch's orders, and returns their payment state
     * as locked (#19, a batch that pays together): what the domain counts the batch's payments on.
     */
    List<LockedTeamPO> lockTeams(@Param("teamIds") List<String> teamIds);

    /**
     * The batch's orders {@code from} → {@code to} (locked → paid), each with its own trade time, in one statement, only
     * those still in {@code from}. Returns the rows matched (Connector/J's found rows).
     */
    @UpdateProvider(type = PaymentSql.class, method = "orders")
    @Lang(ParsedOnceLanguageDriver.class)
    int payOrders(@Param("orders") List<OrderPaymentRow> orders, @Param("from") int from, @Param("to") int to);

    /**
     * The batch's payments counted on their teams in one statement: each team to the count and status the domain decided,
     * only while it is still in {@code teamFrom} at the count it was locked at and the new count is within its places.
     * Returns the rows matched.
     */
    @UpdateProvider(type = PaymentSql.class, method = "teams")
    @Lang(ParsedOnceLanguageDriver.class)
    int countPayments(@Param("teams") List<TeamCountRow> teams, @Param("teamFrom") int teamFrom);

    /** The team's orders in {@code paid}, each with its own partner and trade number, in the order they were locked. */
    List<PaidMemberPO> queryPaidMembers(@Param("teamId") String teamId, @Param("paid") int paidStatus);

    /** The notify settings of the partner's latest team in the activity, or null when it opened none there. */
    NotifySettingsPO queryPartnerNotifySettings(
            @Param("activityId") long activityId, @Param("source") String source, @Param("channel") String channel);

    /**
     * A payment notice we refused for an order the buyer paid (closed before it was paid, trade time outside the
     * team's window, team no longer in progress): a row for the order, or one more notice on it with the latest
     * refusal code.
     */
    void recordLatePayment(
            @Param("orderId") String orderId,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("teamId") String teamId,
            @Param("activityId") Long activityId,
            @Param("outTradeTime") Instant outTradeTime,
            @Param("refusal") String refusal);

    Integer queryLatePaymentNotices(@Param("orderId") String orderId);

    /** Late-paid orders ever recorded (the gauge operators watch). */
    long countLatePayments();
}
