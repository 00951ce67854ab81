package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.infrastructure.gateway.EndpointQueues;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.infrastructure.gateway.guard.GuardedNotifyGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * #17: the delivery channels behind a circuit breaker per endpoint (and a bulkhead per partner endpoint and a cap per
 * partner). Kept apart
 * from NotifyConfig/MqConfig, which only ask it to wrap their channel.
 */
@Configuration
public class NotifyGuardConfig {

    @Bean
    public EndpointGuards endpointGuards(NotifyGuardProperties properties, MeterRegistry meters, Clock clock) {
        return new EndpointGuards(properties.settings(), meters, clock);
    }

    /**
     * The channel wrappers NotifyChannelRouter is built from; the identity when guards are switched off, but for
     * EndpointQueues (#19), which sends a compensation page's HTTP callbacks at most the bulkhead's size at once per
     * endpoint either way.
     */
    @Bean
    public NotifyChannelGuards notifyChannelGuards(
            NotifyGuardProperties properties,
            NotifyProperties notify,
            EndpointGuards guards,
            ObjectProvider<RabbitProperties> rabbit,
            ExecutorService notifySendExecutor) {
        int perEndpoint = properties.getMaxConcurrentPerEndpoint();
        if (!properties.isEnabled()) {
            return new NotifyChannelGuards(
                    http -> new EndpointQueues(
                            http,
                            GuardedNotifyGateway::httpPartnerEndpoint,
                            perEndpoint,
                            notifySendExecutor,
                            r -> false),
                    mq -> mq);
        }
        RabbitProperties broker = rabbit.getIfAvailable();
        String brokerName = broker == null ? "broker" : broker.determineHost() + ":" + broker.determinePort();
        return new NotifyChannelGuards(
                http -> new EndpointQueues(
                        // A call slow past the slow-call duration plus its body's time at gbm.notify.min-send-rate.
                        GuardedNotifyGateway.http(http, guards, notify.sendBudget()),
                        GuardedNotifyGateway::httpPartnerEndpoint,
                        perEndpoint,
                        notifySendExecutor,
                        // Only the endpoint's bulkhead: a send over its partner's cap is put back unsent at once rather
                        // than waiting in memory behind that endpoint's sends, so a partner's hanging calls hold at
                        // most
                        // its cap of lanes and threads.
                        EndpointGuards::bulkheadFull),
                mq -> GuardedNotifyGateway.mq(mq, guards, brokerName));
    }

    /** Wraps each channel's gateway. */
    public record NotifyChannelGuards(
            java.util.function.UnaryOperator<INotifyGateway> http,
            java.util.function.UnaryOperator<INotifyGateway> mq) {}
}
