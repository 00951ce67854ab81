package com.groupbuy.market.domain.tag.model.valobj;

/** What one import run did: the tag and batch it loaded, how many members, in how many pages. */
public record TagImportResult(String tagId, String batchId, long members, int batches) {}
