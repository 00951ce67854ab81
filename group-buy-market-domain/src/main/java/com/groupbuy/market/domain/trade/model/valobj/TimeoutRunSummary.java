package com.groupbuy.market.domain.trade.model.valobj;

/**
 * One run of the timeout job: teams failed at their validity end, and unpaid locks closed past their limit. While the
 * delay path (#15) is on, {@code foundLate} counts those of them the delay path should have closed already (the job is
 * its backstop): zero in the normal case.
 */
public record TimeoutRunSummary(int expiredTeams, int closedUnpaid, int skipped, int foundLate) {

    public TimeoutRunSummary(int expiredTeams, int closedUnpaid, int skipped) {
        this(expiredTeams, closedUnpaid, skipped, 0);
    }
}
