package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * What the timeout job closed that the delay path (#15) should have closed already: {@code gbm.timeout.found.late}
 * ({@code gbm_timeout_found_late_total} in Prometheus) by {@code kind} order or team, beside the job's log line. Zero
 * while the delay path works; it moves when checks were lost or never published (broker down at lock time).
 */
public class TimeoutRunMeter implements Consumer<TimeoutRunSummary> {

    public static final String METER = "gbm.timeout.found.late";

    private final Counter orders;
    private final Counter teams;

    public TimeoutRunMeter(MeterRegistry meters) {
        this.orders = counter(meters, "order");
        this.teams = counter(meters, "team");
    }

    private static Counter counter(MeterRegistry meters, String kind) {
        return Counter.builder(METER)
                .tag("kind", kind)
                .description("locks and teams the timeout job closed late: their delayed close check never closed them")
                .register(meters);
    }

    @Override
    public void accept(TimeoutRunSummary run) {
        // A run counts found late only while the delay path is on, and then everything it closed was late.
        if (run.foundLate() > 0) {
            orders.increment(run.closedUnpaid());
            teams.increment(run.expiredTeams());
        }
    }
}
