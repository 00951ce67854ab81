package com.groupbuy.market.infrastructure.trade.po;

import java.math.BigDecimal;
import java.time.Instant;
import lombok.Data;

/** A row of group_buy_order (a team). */
@Data
public class TeamPO {
    private String teamId;
    private Long activityId;
    private String leaderUserId;
    private String source;
    private String channel;
    private BigDecimal originalPrice;
    private BigDecimal deductionPrice;
    private BigDecimal payPrice;
    private Integer targetCount;
    private Integer completeCount;
    private Integer lockCount;
    private Integer status;
    private Instant validStartTime;
    private Instant validEndTime;
    private String notifyType;
    private String notifyMq;
    private String notifyUrl;
}
