package com.groupbuy.market.domain.tag.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** One import batch of a tag (a {@code crowd_tags_job} row): created, done once its members are loaded, or abandoned. */
@Getter
@Builder
@AllArgsConstructor
public class CrowdTagJobEntity {

    public static final int STATUS_CREATED = 0;
    public static final int STATUS_DONE = 1;
    public static final int STATUS_ABANDONED = 2;

    private final String batchId;
    private final String tagId;
    private final Integer status;

    public boolean isAbandoned() {
        return status != null && status == STATUS_ABANDONED;
    }
}
