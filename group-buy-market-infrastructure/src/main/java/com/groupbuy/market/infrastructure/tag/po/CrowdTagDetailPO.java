package com.groupbuy.market.infrastructure.tag.po;

import lombok.Data;

/** A row of crowd_tags_detail (row id and member: the partner's user; source/channel null on rows before V16). */
@Data
public class CrowdTagDetailPO {
    private Long id;
    private String source;
    private String channel;
    private String userId;
}
