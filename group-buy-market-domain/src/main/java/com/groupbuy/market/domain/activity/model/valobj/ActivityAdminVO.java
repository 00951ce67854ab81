package com.groupbuy.market.domain.activity.model.valobj;

import java.time.Instant;

/** An activity as operators list it. */
public record ActivityAdminVO(
        long activityId,
        String activityName,
        String discountId,
        int target,
        int validMinutes,
        int takeLimitCount,
        int status,
        Instant startTime,
        Instant endTime,
        String tagId,
        String tagScope) {}
