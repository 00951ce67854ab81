package com.groupbuy.market.infrastructure.gateway.guard;

import java.time.Duration;

/**
 * How the per-endpoint guards judge an endpoint. Rates are percentages over a time window of {@code window}; the
 * breaker opens once at least {@code minimumCalls} calls fell in the window and either rate reached its threshold;
 * it stays open {@code openFor}, then lets {@code halfOpenCalls} probes through, which close it again or reopen it.
 * {@code maxConcurrentPerEndpoint} calls at most run at once per endpoint (HTTP host:port); one more is not made and
 * its task waits {@code bulkheadRetryAfter}. {@code maxConcurrentPerPartner} calls at most run at once per partner
 * (source + channel), whatever endpoints its callbacks name; one more is not made either and waits as long.
 */
public record GuardSettings(
        float failureRateThreshold,
        float slowCallRateThreshold,
        Duration slowCallDuration,
        Duration window,
        int minimumCalls,
        Duration openFor,
        int halfOpenCalls,
        int maxConcurrentPerEndpoint,
        Duration bulkheadRetryAfter,
        int maxConcurrentPerPartner) {}
