package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;
import lombok.Data;

/** A team row as the trial page reads it (group_buy_order, with the caller's out trade number when joined). */
@Data
public class TeamViewPO {
    private String teamId;
    private String leaderUserId;
    private Long activityId;
    private Integer targetCount;
    private Integer completeCount;
    private Integer lockCount;
    private Instant validStartTime;
    private Instant validEndTime;
    private String outTradeNo;
}
