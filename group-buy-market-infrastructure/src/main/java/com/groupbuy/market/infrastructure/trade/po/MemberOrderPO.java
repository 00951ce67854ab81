package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;
import lombok.Data;

/** A member order joined with its team, as settlement and refund read it. */
@Data
public class MemberOrderPO {
    private String orderId;
    private String userId;
    private String outTradeNo;
    private Long activityId;
    private Integer orderStatus;
    private String teamId;
    private Integer teamStatus;
    private Instant teamValidStartTime;
    private Instant teamValidEndTime;
    private String source;
    private String channel;
    /** The member order's own partner (l.source, l.channel); source/channel above are the team's. */
    private String memberSource;

    private String memberChannel;
    private String notifyType;
    private String notifyUrl;
    private Instant outTradeTime;
    private Instant lockTime;
    /** l.id; read only by the timeout job's pages (null elsewhere). */
    private Long rowId;

    private Integer teamCompleteCount;
    private Integer teamTargetCount;
}
