package com.groupbuy.market.trigger.job;

/** Which dependency's outage a failure was ("database", "redis"), or null when it was no outage. */
@FunctionalInterface
public interface OutageOf {

    String dependency(Throwable failure);
}
