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

    private Instant nextAttemptTime;
    private String claimedBy;
    private String claimToken;
    private Instant claimUntil;
    private String lastError;
}
