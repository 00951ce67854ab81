package com.groupbuy.market.domain.outbox.model.valobj;

/** What one compensation run did, for the job log and the operator. */
public record NotifyRunSummary(int claimed, int delivered, int retried, int failed) {

    public NotifyRunSummary plus(NotifyRunSummary other) {
        return new NotifyRunSummary(
                claimed + other.claimed, delivered + other.delivered, retried + other.retried, failed + other.failed);
    }

    public static NotifyRunSummary empty() {
        return new NotifyRunSummary(0, 0, 0, 0);
    }
}
