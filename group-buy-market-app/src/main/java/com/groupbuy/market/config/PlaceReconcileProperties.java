package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Redis place counter reconciliation ({@code gbm.places.*}). */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.places")
public class PlaceReconcileProperties {

    /** A reservation with no order row this long after it was taken died with its process (a lock takes seconds). */
    private Duration staleAfter = Duration.ofMinutes(2);
    /** A team whose row changed this recently is left to the next run (a refund's release may be on its way). */
    private Duration quietPeriod = Duration.ofSeconds(30);
    /**
     * Shortest time between two sweeps from the timeout job. A sweep reads every open team, so each team is read
     * (validity / interval) times in its life; a counter left high is corrected as soon as it refuses a joiner
     * ({@link #onRefusal}), so the sweep is the backstop for counters nobody has run into yet.
     */
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
    /** Time budget of the start-up run. */
    private Duration startBudget = Duration.ofSeconds(60);
}
