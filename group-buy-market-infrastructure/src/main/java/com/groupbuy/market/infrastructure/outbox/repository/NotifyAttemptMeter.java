package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every delivery attempt by outcome and partner: {@code gbm.notify.attempts{outcome=delivered|failed, type, source,
 * channel}} with the attempt's latency (Prometheus {@code gbm_notify_attempts_seconds_*}). Partners are configured
 * source/channel pairs, so the tags stay few.
 * <p>
 * #19: each tag combination's timer is looked up in a map of our own, not built and registered again per attempt (a
 * builder, four {@code Tags} merges, a meter id and the registry's filter pass for every attempt: the close-check
 * relay records one attempt per close check, two per lock opening a team). The registry holds the same timer either
 * way.
 */
final class NotifyAttemptMeter {

    private record Key(boolean delivered, String type, String source, String channel) {}

    private final MeterRegistry meters;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    NotifyAttemptMeter(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(NotifyTaskVO task, DeliveryResult result) {
        Key key = new Key(result.delivered(), task.getNotifyType(), task.getSource(), task.getChannel());
        timers.computeIfAbsent(key, this::register).record(Duration.ofMillis(Math.max(0, result.latencyMs())));
    }

    private Timer register(Key key) {
        return Timer.builder("gbm.notify.attempts")
                .description("callback delivery attempts by outcome and partner")
                .tag("outcome", key.delivered() ? "delivered" : "failed")
                .tag("type", String.valueOf(key.type()))
                .tag("source", String.valueOf(key.source()))
                .tag("channel", String.valueOf(key.channel()))
                .register(meters);
    }
}
