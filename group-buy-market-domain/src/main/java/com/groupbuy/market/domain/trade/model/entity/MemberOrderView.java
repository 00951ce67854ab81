package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.time.Instant;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A member order joined with its team, as settlement and refund read it before deciding. */
@Getter
@Builder(toBuilder = true)
@AllArgsConstructor
public class MemberOrderView {

    private final String orderId;
    private final String userId;
    private final String outTradeNo;
    private final Long activityId;
    private final OrderStatus orderStatus;
    private final String teamId;
    private final TeamStatus teamStatus;
    private final Instant teamValidStartTime;
    private final Instant teamValidEndTime;
    /** The team's partner (the leader's lock), whose secret signs the team's callbacks and whose URL receives them. */
    private final String source;

    private final String channel;
    /**
     * The member order's own partner (source + channel of the lock that wrote it), whom its refund callbacks are owed
     * to; null where not read (then the team's). The team's in every team written since a team is kept to its partner,
     * another for a member another partner's buyer became before (legacy data).
     */
    private final String orderSource;

    private final String orderChannel;
    private final String notifyType;
    private final String notifyUrl;
    /** The payment time the settlement recorded; null while the order was never settled (it is never cleared). */
    private final Instant outTradeTime;
    /** When the order was locked; read only where a timeout is decided (null elsewhere). */
    private final Instant lockTime;
    /**
     * The order row's id, its place among locks of the same millisecond: with {@link #lockTime} the timeout job's
     * position in its pages of unpaid locks; read only there (null elsewhere).
     */
    private final Long rowId;
    /**
     * The team's paid places and target as read with the order, without a lock (null where not read): only a guess of
     * what one more payment does, which the settlement's guarded updates then decide on the locked row.
     */
    private final Integer teamCompleteCount;

    private final Integer teamTargetCount;

    /** The source of the partner this order belongs to: its own lock's where read, else its team's. */
    public String memberSource() {
        return orderSource != null ? orderSource : source;
    }

    /** The channel of the partner this order belongs to (paired with {@link #memberSource()}). */
    public String memberChannel() {
        return orderSource != null ? orderChannel : channel;
    }

    /** Whether a settlement paid this order, whatever happened to it since (a refund closes it, but it was paid). */
    public boolean wasSettled() {
        return orderStatus == OrderStatus.PAID || outTradeTime != null;
    }

    /** Whether one more payment looked, as read, like the one that pays the team's last place (a guess; see above). */
    public boolean paymentLooksLikeTheLast() {
        return teamCompleteCount != null && teamTargetCount != null && teamCompleteCount + 1 >= teamTargetCount;
    }
}
