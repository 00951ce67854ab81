package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The delivery service as these tests build it: worker {@code w}, a retry a minute later (no jitter), lanes on the
 * calling thread and a stop never asked for, unless a test gives its own.
 */
final class DeliveryServices {

    private DeliveryServices() {}

    static NotifyBackoff oneMinute() {
        return new NotifyBackoff(List.of(Duration.ofMinutes(1)), 0, () -> 0.5);
    }

    static DueCallbackDeliveryService onCallingThread(
            INotifyTaskStore store, INotifyGateway gateway, Clock clock, DeliverySettings settings) {
        return of(store, gateway, oneMinute(), clock, settings, Runnable::run, new RunStop());
    }

    static DueCallbackDeliveryService of(
            INotifyTaskStore store,
            INotifyGateway gateway,
            NotifyBackoff backoff,
            Clock clock,
            DeliverySettings settings,
            Executor lanes,
            RunStop stop) {
        return new DueCallbackDeliveryService(store, gateway, backoff, clock, "w", settings, lanes, stop);
    }
}
