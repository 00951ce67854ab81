package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.gateway.guard.GuardSettings;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Circuit breaker and bulkhead per callback endpoint ({@code gbm.notify.guard.*}, #17; docs/operations.md). */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.notify.guard")
public class NotifyGuardProperties {

    /** Off: every callback is sent as before, no breaker, no bulkhead. */
    private boolean enabled = true;
    /** Percent of calls in the window that failed (no acknowledgement) at which the breaker opens. */
    private float failureRateThreshold = 50;
    /** Percent of calls in the window slower than {@link #slowCallDuration} at which the breaker opens. */
    private float slowCallRateThreshold = 50;
    /** A callback taking longer than this is slow (the read timeout is 5 s by default). */
    private Duration slowCallDuration = Duration.ofSeconds(2);
    /** The window the rates are measured over (whole seconds). */
    private Duration window = Duration.ofSeconds(30);
    /** Calls the window must hold before the rates count. */
    private int minimumCalls = 10;
    /** How long an open breaker makes no call; its endpoint's tasks wait until then. */
    private Duration openFor = Duration.ofSeconds(30);
    /** Probe calls let through after the wait; their outcome closes or reopens the breaker. */
    private int halfOpenCalls = 3;
    /** Deliveries in flight at once to one partner endpoint (host:port), per instance. */
    private int maxConcurrentPerEndpoint = 4;
    /** How long a task refused by a full bulkhead waits before it is due again. */
    private Duration bulkheadRetryAfter = Duration.ofSeconds(1);

    public GuardSettings settings() {
        return new GuardSettings(
                failureRateThreshold,
                slowCallRateThreshold,
                slowCallDuration,
                window,
                minimumCalls,
                openFor,
                halfOpenCalls,
                maxConcurrentPerEndpoint,
                bulkheadRetryAfter);
    }
}
