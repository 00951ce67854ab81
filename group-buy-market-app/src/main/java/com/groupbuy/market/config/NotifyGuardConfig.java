package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.infrastructure.gateway.guard.GuardedNotifyGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * #17: the delivery channels behind a circuit breaker per endpoint (and a bulkhead per partner endpoint). Kept apart
 * from NotifyConfig/MqConfig, which only ask it to wrap their channel.
 */
@Configuration
public class NotifyGuardConfig {

    @Bean
    public EndpointGuards endpointGuards(NotifyGuardProperties properties, MeterRegistry meters, Clock clock) {
        return new EndpointGuards(properties.settings(), meters, clock);
    }

    /** The channel wrappers NotifyChannelRouter is built from; the identity when guards are switched off. */
    @Bean
    public NotifyChannelGuards notifyChannelGuards(
            NotifyGuardProperties properties, EndpointGuards guards, ObjectProvider<RabbitProperties> rabbit) {
        if (!properties.isEnabled()) {
            return new NotifyChannelGuards(http -> http, mq -> mq);
        }
        RabbitProperties broker = rabbit.getIfAvailable();
        String brokerName = broker == null ? "broker" : broker.determineHost() + ":" + broker.determinePort();
        return new NotifyChannelGuards(
                http -> GuardedNotifyGateway.http(http, guards), mq -> GuardedNotifyGateway.mq(mq, guards, brokerName));
    }

    /** Wraps each channel's gateway. */
    public record NotifyChannelGuards(
            java.util.function.UnaryOperator<INotifyGateway> http,
            java.util.function.UnaryOperator<INotifyGateway> mq) {}
}
