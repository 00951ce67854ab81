package com.groupbuy.market.infrastructure.gateway.mq;

import com.rabbitmq.client.Channel;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

/**
 * The channel of Spring AMQP's cache a publisher holds for a page (or a group of it) inside a
 * {@code RabbitTemplate.invoke}, both publishers' ({@link CloseCheckPublisher}, {@link AmqpNotifyGateway}).
 */
final class PageChannel {

    private PageChannel() {}

    /** The channel a cached channel's proxy stands for: its close reason stays readable once the proxy let it go. */
    static Channel target(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }
}
