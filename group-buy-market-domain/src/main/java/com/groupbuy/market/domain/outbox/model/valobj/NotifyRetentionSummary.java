package com.groupbuy.market.domain.outbox.model.valobj;

/** What one retention run deleted, and in how many batches; {@code budgetSpent} when it stopped before the end. */
public record NotifyRetentionSummary(int deletedTasks, int batches, boolean budgetSpent) {}
