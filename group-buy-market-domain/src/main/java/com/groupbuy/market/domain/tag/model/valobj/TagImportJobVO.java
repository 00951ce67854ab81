package com.groupbuy.market.domain.tag.model.valobj;

import java.time.Instant;

/**
 * A crowd-tag import job as operators list it: {@code status} is the stored {@link TagImportJobStatus#code()} (0
 * created, 1 done, 2 abandoned), a number on the wire as it always was; nothing is decided on this listing.
 */
public record TagImportJobVO(
        String batchId, String tagId, String tagName, int status, long statistics, Instant updateTime) {}
