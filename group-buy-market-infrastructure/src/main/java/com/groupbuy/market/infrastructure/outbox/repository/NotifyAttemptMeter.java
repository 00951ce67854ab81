package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Every delivery attempt by outcome and partner: {@code gbm.notify.attempts{outcome=delivered|failed, type, source,
 * channel}} with the attempt's latency (Prometheus {@code gbm_notify_attempts_seconds_*}). Partners are configured
 * source/channel pairs, so the tags stay few.
 */
final class NotifyAttemptMeter {

    private final MeterRegistry meters;

    NotifyAttemptMeter(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(NotifyTaskVO task, DeliveryResult result) {
        Timer.builder("gbm.notify.attempts")
                .description("callback delivery attempts by outcome and partner")
                .tag("outcome", result.delivered() ? "delivered" : "failed")
                .tag("type", String.valueOf(task.getNotifyType()))
                .tag("source", String.valueOf(task.getSource()))
                .tag("channel", String.valueOf(task.getChannel()))
                .register(meters)
                .record(Duration.ofMillis(Math.max(0, result.latencyMs())));
    }
}
