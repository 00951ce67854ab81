package com.groupbuy.market.infrastructure.outbox.po;

import java.time.Instant;
import lombok.Data;

/** A row of notify_task. */
@Data
public class NotifyTaskPO {
    private Long id;
    private String taskKey;
    private String webhookId;
    private Long activityId;
    private String teamId;
    private String source;
    private String channel;
    private String notifyCategory;
    private String notifyType;
    private String notifyMq;
    private String notifyUrl;
    private Integer notifyCount;
    private Integer notifyStatus;
    /** The bytes delivered (column parameter_json). */
    private String body;
    /**
     * The body's length in bytes as stored, read by a claim's locking read, which leaves a body longer than its
     * {@code inlineBytes} out ({@code INotifyTaskDao#lockStillDue}).
     */
    private Long bodyBytes;

    private Instant nextAttemptTime;
    private String claimedBy;
    private String claimToken;
    /** The lease's end as stored (read only: a lease is written as a length from the database's clock). */
    private Instant claimUntil;
    /**
     * A task written already leased: what is left of its lease, which the insert adds to the database's clock (the
     * one every lease is judged on); null: no lease.
     */
    private Long claimMicros;

    private String lastError;
}
