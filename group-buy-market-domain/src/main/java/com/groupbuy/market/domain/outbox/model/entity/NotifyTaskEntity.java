package com.groupbuy.market.domain.outbox.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A callback owed to a partner, written in the same transaction as the business change that owes it (outbox).
 * {@code taskKey} is unique (team + category + order), so the same task is never written twice.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class NotifyTaskEntity {

    private String taskKey;
    private Long activityId;
    private String teamId;
    private String source;
    private String channel;
    /** trade_settlement, trade_unpaid2refund, trade_paid2refund, trade_paid_team2refund */
    private String notifyCategory;
    /** HTTP or MQ */
    private String notifyType;
    private String notifyMq;
    private String notifyUrl;
    /** The JSON body delivered to the partner. */
    private String parameterJson;
}
