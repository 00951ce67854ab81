package com.groupbuy.market.domain.outbox.model.valobj;

/**
 * What one retention run deleted: delivered tasks, in how many batches, and the consumers' spent consumption records;
 * {@code budgetSpent} when it stopped before the end.
 */
public record NotifyRetentionSummary(int deletedTasks, int batches, boolean budgetSpent, int deletedRecords) {}
