package com.groupbuy.market.infrastructure.tag.po;

import lombok.Data;

/** A row of crowd_tags_detail (row id and member). */
@Data
public class CrowdTagDetailPO {
    private Long id;
    private String userId;
}
