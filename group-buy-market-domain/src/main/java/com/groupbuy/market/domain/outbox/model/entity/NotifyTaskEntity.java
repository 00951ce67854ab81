package com.groupbuy.market.domain.outbox.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A task owed by a business change, written in the same transaction as the change (outbox): a callback to a partner
 * (HTTP or MQ) or one of our own delayed close checks. {@code taskKey} is unique (team + category + order), so the same
 * task is never written twice.
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
    /**
     * The event that owes it: trade_settlement, trade_unpaid2refund, trade_paid2refund, trade_paid_team2refund, or
     * internal_* for a close check (#15).
     */
    private String notifyCategory;
    /** {@link com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget}'s HTTP, MQ or DELAY (a close check). */
    private String notifyType;

    private String notifyMq;
    private String notifyUrl;
    /** The bytes delivered: the callback's JSON body, or the close check's (stored in column parameter_json). */
    private String body;
}
