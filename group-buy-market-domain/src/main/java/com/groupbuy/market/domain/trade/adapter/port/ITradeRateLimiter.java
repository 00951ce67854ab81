package com.groupbuy.market.domain.trade.adapter.port;

/**
 * #17: buckets shared by every instance, each admitting at most {@code perSecond} (always above 0 here) in any
 * one-second window, on one clock for all of them (not each instance's own). True when a permit was taken. An
 * unreachable store is an outage (E0401), never a silent "admit".
 */
public interface ITradeRateLimiter {

    boolean tryAcquirePair(String source, String channel, int perSecond);

    boolean tryAcquireUser(String source, String channel, String userId, int perSecond);

    /**
     * Counts a refusal this instance decided alone while the buckets could not be asked (per user when
     * {@code perUser}, else per pair), with the buckets' own refusals: an operator's count of {@code 0006} answers
     * then goes on through an outage. A limiter that keeps no count ignores it.
     */
    default void countInstanceRefusal(boolean perUser) {}
}
