package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.gateway.guard.GuardSettings;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Circuit breaker and bulkhead per callback endpoint, cap per partner ({@code gbm.notify.guard.*}, #17;
 * docs/operations.md). Each is refused at start outside its range, naming it: Resilience4j refused some without the
 * setting's name (a rate of 0 or over 100, no minimum call), and took others that broke the guard silently (a bulkhead
 * of 0 put every callback back unsent for ever; a retry-after of 0 put it back due at once, a spin; a window under a
 * second was one second).
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.notify.guard")
public class NotifyGuardProperties {

    /** Off: every callback is sent as before, no breaker, no bulkhead. */
    private boolean enabled = true;
    /** Percent of calls in the window that failed (no acknowledgement) at which the breaker opens. */
    @DecimalMin(value = "0", inclusive = false)
    @DecimalMax("100")
    private float failureRateThreshold = 50;
    /** Percent of calls in the window slower than {@link #slowCallDuration} at which the breaker opens. */
    @DecimalMin(value = "0", inclusive = false)
    @DecimalMax("100")
    private float slowCallRateThreshold = 50;
    /** A callback taking longer than this is slow (the read timeout is 5 s by default). */
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    private Duration slowCallDuration = Duration.ofSeconds(2);
    /** The window the rates are measured over (whole seconds): 1 s to 1 h. */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration window = Duration.ofSeconds(30);
    /**
     * Calls the window must hold before the rates count: 1 to 1,000,000 (the test profile's 100,000 is a breaker that
     * never opens).
     */
    @Min(1)
    @Max(1_000_000)
    private int minimumCalls = 10;
    /** How long an open breaker makes no call; its endpoint's tasks wait until then. */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration openFor = Duration.ofSeconds(30);
    /** Probe calls let through after the wait; their outcome closes or reopens the breaker. */
    @Min(1)
    @Max(1_000)
    private int halfOpenCalls = 3;
    /** Deliveries in flight at once to one partner endpoint (host:port), per instance. */
    @Min(1)
    @Max(10_000)
    private int maxConcurrentPerEndpoint = 4;
    /** How long a task refused by a full bulkhead (or its partner's cap) waits before it is due again. */
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    private Duration bulkheadRetryAfter = Duration.ofSeconds(1);
    /**
     * HTTP deliveries in flight at once of one partner (source + channel), whatever endpoints its callbacks name, per
     * instance: one partner giving each lock another port or DNS name of a slow server holds at most this many of the
     * delivery threads (half of the 8 after-commit threads by default, as one endpoint's bulkhead). One more is put back
     * unsent for {@link #bulkheadRetryAfter}, no try used. From 1 to {@link #MAX_CONCURRENT_PER_PARTNER}.
     */
    private int maxConcurrentPerPartner = 4;

    /** The largest {@code max-concurrent-per-partner} taken (a larger one is no cap at all). */
    static final int MAX_CONCURRENT_PER_PARTNER = 10_000;

    public GuardSettings settings() {
        if (maxConcurrentPerPartner < 1 || maxConcurrentPerPartner > MAX_CONCURRENT_PER_PARTNER) {
            throw new IllegalStateException("gbm.notify.guard.max-concurrent-per-partner must be from 1 to "
                    + MAX_CONCURRENT_PER_PARTNER + ", was " + maxConcurrentPerPartner);
        }
        return new GuardSettings(
                failureRateThreshold,
                slowCallRateThreshold,
                slowCallDuration,
                window,
                minimumCalls,
                openFor,
                halfOpenCalls,
                maxConcurrentPerEndpoint,
                bulkheadRetryAfter,
                maxConcurrentPerPartner);
    }
}
