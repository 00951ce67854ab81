package com.groupbuy.market.infrastructure.audit.po;

import java.time.Instant;
import lombok.Data;

/** A row of admin_action. */
@Data
public class AdminActionPO {
    private Long id;
    private String operator;
    private boolean sharedToken;
    private String method;
    private String path;
    private String query;
    private String remoteAddress;
    /** Null while the outcome is unknown. */
    private Integer httpStatus;

    private String code;
    private Instant actedAt;
    /** Null while the outcome is unknown (and on rows written before V20, whose acted_at is their answer's). */
    private Instant answeredAt;
}
