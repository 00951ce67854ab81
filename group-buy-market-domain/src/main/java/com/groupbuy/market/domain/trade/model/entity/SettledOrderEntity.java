package com.groupbuy.market.domain.trade.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/**
 * The outcome of a settlement; a repeated settlement answers the same. {@code notifyTaskId} is set only when this
 * payment completed the team (and so wrote the callback task).
 */
@Getter
@Builder
@AllArgsConstructor
public class SettledOrderEntity {

    private final String userId;
    private final String teamId;
    private final Long activityId;
    private final String outTradeNo;
    private final Long notifyTaskId;
}
