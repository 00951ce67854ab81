package com.groupbuy.market.domain.tag.model.valobj;

import java.time.Instant;

/** A crowd-tag import job as operators list it: {@code status} 0 created, 1 done, 2 abandoned. */
public record TagImportJobVO(
        String batchId, String tagId, String tagName, int status, long statistics, Instant updateTime) {}
