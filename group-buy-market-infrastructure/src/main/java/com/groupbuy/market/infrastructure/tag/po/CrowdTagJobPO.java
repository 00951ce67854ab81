package com.groupbuy.market.infrastructure.tag.po;

import lombok.Data;

/** A row of crowd_tags_job (the columns the import reads). */
@Data
public class CrowdTagJobPO {
    private String tagId;
    private String batchId;
    private Integer status;
}
