package com.groupbuy.market.infrastructure.tag.po;

import lombok.Data;

/** A row of crowd_user_index: a partner user's bit position. */
@Data
public class CrowdUserIndexPO {
    private String source;
    private String channel;
    private String userId;
    private Long bitIndex;
}
