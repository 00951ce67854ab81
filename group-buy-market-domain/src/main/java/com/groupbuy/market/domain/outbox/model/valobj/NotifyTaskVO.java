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

    /**
     * The body's length in UTF-8 bytes, as sent: counted once, on first use. A send asks it up to twice (whether its
     * budget fits the lease, and how slow its call may be before the breaker counts it slow); a completion of 10,000
     * members is a scan of about a million characters.
     */
    @Getter(lazy = true)
    private final long bodyBytes = SendBudget.utf8Bytes(body);

    /** Published on the notify exchange (delivered in batches) rather than posted over HTTP. */
    public boolean isMq() {
        return NotifyTarget.MQ.equals(notifyType);
    }
}
