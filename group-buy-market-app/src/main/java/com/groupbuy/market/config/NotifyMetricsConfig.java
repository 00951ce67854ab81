package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBacklogRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Configuration;

/** The due-callback backlog as a gauge ({@code gbm.notify.due.backlog}), read from the outbox at each scrape. */
@Configuration
public class NotifyMetricsConfig {

    public NotifyMetricsConfig(MeterRegistry meters, INotifyBacklogRepository tasks, Clock clock) {
        Gauge.builder("gbm.notify.due.backlog", () -> tasks.countDue(Instant.now(clock)))
                .description("callback tasks owed and due now")
                .register(meters);
    }
}
