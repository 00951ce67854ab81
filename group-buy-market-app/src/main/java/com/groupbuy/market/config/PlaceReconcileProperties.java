package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The Redis place counter reconciliation ({@code gbm.places.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.places")
public class PlaceReconcileProperties {

    /** A reservation with no order row this long after it was taken died with its process (a lock takes seconds). */
    private Duration staleAfter = Duration.ofMinutes(2);
    /** A team whose row changed this recently is left to the next run (a refund's release may be on its way). */
    private Duration quietPeriod = Duration.ofSeconds(30);
    /**
     * Shortest time between two sweeps from the timeout job. A sweep reads every open team, so each team is read
     * (validity / interval) times in its life; a counter left high is corrected as soon as it refuses a joiner
     * ({@link #onRefusal}), so the sweep is the backstop for counters nobody has run into yet. 1 s to 1 day (else the
     * start is refused): 0 or less (or a bare number, milliseconds) swept every open team at every tick of the timeout
     * job, 10 s by default; over a day the backstop came after most teams had ended.
     */
    @DurationMin(seconds = 1)
    @DurationMax(days = 1)
    private Duration interval = Duration.ofMinutes(10);
    /**
     * A join Redis refuses while the team row had a place left makes the team be looked at at once (at most once per
     * team per quiet period), and the joiner tries once more if its counter was wrong.
     */
    private boolean onRefusal = true;
    /** Teams read per page. */
    private int pageSize = 200;
    /** Reconcile every open team once when the service is ready. */
    private boolean onStart = true;
    /**
     * Time budget of the start-up run: 1 s to 10 min, the bound of every job's budget (else the start is refused). 0 or
     * less checked no team and logged it as done ("corrected=0"); a bare number is milliseconds ({@code 60} = 60 ms).
     */
    @DurationMin(seconds = 1)
    @DurationMax(minutes = 10)
    private Duration startBudget = Duration.ofSeconds(60);
}
