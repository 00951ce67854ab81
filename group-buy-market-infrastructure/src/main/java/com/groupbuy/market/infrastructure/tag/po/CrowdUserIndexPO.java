package com.groupbuy.market.infrastructure.tag.po;

import lombok.Data;

/** A row of crowd_user_index. */
@Data
public class CrowdUserIndexPO {
    private String userId;
    private Long bitIndex;
}
