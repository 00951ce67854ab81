package com.groupbuy.market.domain.trade.model.valobj;

/** One run of the timeout job: teams failed at their validity end, and unpaid locks closed past their limit. */
public record TimeoutRunSummary(int expiredTeams, int closedUnpaid, int skipped) {
}
