package com.groupbuy.market.domain.trade.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

import java.time.Instant;

/** A team as lock sees it: whether a new member may still take a place. */
@Getter
@Builder
@AllArgsConstructor
public class TeamEntity {

    public static final int OPEN = 0;
    public static final int COMPLETE = 1;
    public static final int FAILED = 2;
    public static final int COMPLETE_WITH_REFUND = 3;

    private final String teamId;
    private final Long activityId;
    private final Integer targetCount;
    private final Integer lockCount;
    private final Integer completeCount;
    private final Integer status;
    private final Instant validEndTime;

    public boolean isOpenAt(Instant now) {
        return status == OPEN && now.isBefore(validEndTime);
    }
}
