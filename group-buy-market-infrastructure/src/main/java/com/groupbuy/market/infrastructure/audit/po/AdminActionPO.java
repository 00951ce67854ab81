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
    private int httpStatus;
    private String code;
    private Instant actedAt;
}
