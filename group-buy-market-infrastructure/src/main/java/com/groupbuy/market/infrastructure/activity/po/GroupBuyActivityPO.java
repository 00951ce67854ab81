package com.groupbuy.market.infrastructure.activity.po;

import java.time.Instant;
import lombok.Data;

/** A row of group_buy_activity. */
@Data
public class GroupBuyActivityPO {
    private Long activityId;
    private String activityName;
    private String discountId;
    private Integer groupType;
    private Integer takeLimitCount;
    private Integer target;
    private Integer validTime;
    private Integer status;
    private Instant startTime;
    private Instant endTime;
    private String tagId;
    private String tagScope;
}
