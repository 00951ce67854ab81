package com.groupbuy.market.config;

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
 * The limit of failed admin authentications ({@code gbm.console.login.*}; the name is the console sign-in's, which it
 * limited first): wrong tokens in the sign-in form and in {@code X-Admin-Token} to the admin API and the actuator
 * count together. A value out of bounds stops the start: 0 failures or a window under a second would be no limit at
 * all, and a window over a day locks operators out for longer than anyone expects.
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.console.login")
public class ConsoleLoginLimitProperties {

    /** Failures one client address may make in a window. */
    @Min(1)
    @Max(10_000)
    private int maxFailures = 10;

    /**
     * Failures all addresses together may make in a window (guesses spread over many addresses); past it every
     * authentication by token is refused, from every address that is not known ({@link #knownFor}), until the window
     * ends.
     */
    @Min(1)
    @Max(1_000_000)
    private int maxFailuresAllAddresses = 100;

    /** How long a lock-out lasts, from the first failure of the window. */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 24)
    private Duration window = Duration.ofMinutes(15);

    /**
     * How long an address that presented the right token stays known: the limit of all addresses does not lock it out
     * (its own limit still applies), so guesses spread over many addresses cannot keep operators out.
     */
    @DurationMin(minutes = 1)
    @DurationMax(days = 365)
    private Duration knownFor = Duration.ofDays(30);
}
