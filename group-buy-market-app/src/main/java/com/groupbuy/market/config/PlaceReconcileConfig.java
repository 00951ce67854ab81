package com.groupbuy.market.config;

import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.service.place.RefusalLooks;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The place reconciliation: run once when the service is ready (a crash may have left counters high) and from the
 * timeout job, and at once for a team whose join Redis refused while the database had a place
 * ({@code gbm.team.places.refusal.looks}). Corrections are counted in {@code gbm.team.places.corrections}, tagged by
 * which way the counter was off.
 */
@Slf4j
@Configuration
public class PlaceReconcileConfig {

    @Bean
    public TeamPlaceReconciler teamPlaceReconciler(
            ITeamPlaceRepository repository,
            ITeamPlaceReservation reservation,
            Clock clock,
            PlaceReconcileProperties properties,
            MeterRegistry meters,
            RunStop runStop) {
        Counter high = correctionCounter(meters, "high");
        Counter low = correctionCounter(meters, "low");
        Counter looks = Counter.builder("gbm.team.places.refusal.looks")
                .description("teams looked at under their row lock because Redis refused a join the database had a"
                        + " place for")
                .register(meters);
        return new TeamPlaceReconciler(
                repository,
                reservation,
                clock,
                properties.getStaleAfter(),
                properties.getQuietPeriod(),
                properties.getPageSize(),
                properties.getInterval(),
                off -> (off > 0 ? high : low).increment(),
                properties.isOnRefusal() ? RefusalLooks.on(looks::increment) : RefusalLooks.OFF,
                runStop);
    }

    private static Counter correctionCounter(MeterRegistry meters, String direction) {
        return Counter.builder("gbm.team.places.corrections")
                .description("open teams whose Redis place counter disagreed with the database and was corrected")
                .tag("direction", direction)
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void reconcileOnStart(ApplicationReadyEvent event) {
        PlaceReconcileProperties properties = event.getApplicationContext().getBean(PlaceReconcileProperties.class);
        if (!properties.isOnStart()) {
            return;
        }
        TeamPlaceReconciler reconciler = event.getApplicationContext().getBean(TeamPlaceReconciler.class);
        Clock clock = event.getApplicationContext().getBean(Clock.class);
        try {
            int corrected = reconciler.reconcile(0, 1, Instant.now(clock).plus(properties.getStartBudget()));
            log.info("team places checked at start-up corrected={}", corrected);
        } catch (RuntimeException e) {
            log.warn("team places not checked at start-up (the timeout job will): {}", e.toString());
        }
    }
}
