package com.groupbuy.market.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/** The timeout job's settings ({@code gbm.timeout.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.timeout")
public class TimeoutProperties {

    /**
     * How long a lock may stay unpaid; unset = as long as its team is valid. A bare number is minutes ({@code 15} = 15
     * minutes; Spring read it as milliseconds, and every lock was closed within a second of being taken).
     */
    @DurationUnit(ChronoUnit.MINUTES)
    private Duration unpaidTimeout;
    /**
     * How long after its validity end an open team is failed: a mall may settle a payment made just before the end a
     * little after it, and that settlement must still find the team open. A bare number is seconds.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration expiryGrace = Duration.ofSeconds(60);
    /** Teams or orders read per page. */
    private int pageSize = 100;
    /** Time budget of one run. */
    private Duration runBudget = Duration.ofSeconds(50);
    /**
     * Delay between runs of the local scheduler (used when no XXL-Job console drives us): 100 ms to 10 min (else the
     * start is refused). Zero stopped the start inside the scheduler without naming the setting, a bare {@code 10}
     * (10 ms) scanned for overdue locks and teams a hundred times a second, and past 10 min a lock left unpaid held its
     * team's place that much longer.
     */
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    private Duration localSchedulerDelay = Duration.ofSeconds(10);

    private boolean localSchedulerEnabled = true;
    /**
     * While a console holds our registration, the local scheduler runs the job too once a team or an unpaid lock has
     * been overdue this long (the console not running it): 1 s to 24 h (else the start is refused; a bare number is
     * milliseconds). Read by {@code LocalTimeoutCloseScheduler}; bound here.
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 24)
    private Duration localTakeoverAfter = Duration.ofMinutes(3);
}
