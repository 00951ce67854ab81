package com.groupbuy.market.domain.outbox.model.valobj;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A claimed callback task: what to send, over which channel to where, how many attempts it has had, and the lease it is held under. */
@Getter
@Builder
@AllArgsConstructor
public class NotifyTaskVO {

    private final long id;
    private final String webhookId;
    private final String teamId;
    private final String source;
    private final String channel;
    private final String notifyCategory;
    /** HTTP or MQ: which adapter delivers the task. */
    private final String notifyType;

    private final String notifyUrl;
    /** The routing key of an MQ task. */
    private final String notifyMq;

    private final String body;
    private final int notifyCount;
    /** The fencing token of the lease this task was claimed under; finishing writes must present it. */
    private final String claimToken;

    /** Published on the notify exchange (delivered in batches) rather than posted over HTTP. */
    public boolean isMq() {
        return NotifyTarget.MQ.equals(notifyType);
    }
}
