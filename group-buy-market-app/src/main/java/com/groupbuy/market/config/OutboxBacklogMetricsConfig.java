package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBacklogRepository;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyBacklogVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox as Prometheus sees it: {@code gbm.notify.tasks{status=init|retry|fail}} (tasks still owed) and
 * {@code gbm.notify.oldest.due.age} (seconds the oldest due task has waited past its attempt time; 0 when none is
 * due). One snapshot serves every gauge of a scrape: the reads happen at most every {@link #FRESH_FOR}.
 */
@Configuration
public class OutboxBacklogMetricsConfig {

    static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final Map<Integer, String> STATUS_NAMES = Map.of(
            NotifyTaskStatus.INIT.code(),
            "init",
            NotifyTaskStatus.RETRY.code(),
            "retry",
            NotifyTaskStatus.FAIL.code(),
            "fail");

    private final INotifyBacklogRepository backlog;
    private final Clock clock;
    private NotifyBacklogVO snapshot;
    private Instant takenAt = Instant.MIN;

    public OutboxBacklogMetricsConfig(MeterRegistry meters, INotifyBacklogRepository backlog, Clock clock) {
        this.backlog = backlog;
        this.clock = clock;
        STATUS_NAMES.forEach((status, name) -> Gauge.builder(
                        "gbm.notify.tasks", () -> current().owed(status))
                .description("callback tasks still owed, by status")
                .tag("status", name)
                .register(meters));
        Gauge.builder("gbm.notify.oldest.due.age", () -> oldestDueAgeSeconds(current(), Instant.now(clock)))
                .description("how long the oldest due callback task has waited past its attempt time")
                .baseUnit("seconds")
                .register(meters);
    }

    static double oldestDueAgeSeconds(NotifyBacklogVO backlog, Instant now) {
        return backlog.oldestDue() == null
                ? 0
                : Math.max(0, Duration.between(backlog.oldestDue(), now).toMillis() / 1000.0);
    }

    private synchronized NotifyBacklogVO current() {
        Instant now = Instant.now(clock);
        if (snapshot == null || now.isAfter(takenAt.plus(FRESH_FOR))) {
            snapshot = backlog.backlog(now);
            takenAt = now;
        }
        return snapshot;
    }
}
