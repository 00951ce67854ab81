package com.groupbuy.market.infrastructure.gateway.mq;

import com.rabbitmq.client.Channel;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

/**
 * The channel of Spring AMQP's cache a publisher holds for a page (or a group of it) inside a
 * {@code RabbitTemplate.invoke}, both publishers' ({@link CloseCheckPublisher}, {@link AmqpNotifyGateway}).
 * <p>
 * A channel given back with confirms on their way is not cached at once: Spring AMQP (3.2) waits for them on the
 * channel's proxy on a thread of its own, and when the broker closes the channel under that wait it empties the proxy
 * while the proxy is back in the cache, and the page that takes it fails every publish ("NullPointerException: null",
 * CloseCheckRefusedRepublishIT). The publishers await their confirms inside the invoke, so a channel normally goes back
 * with nothing on its way; one whose confirms did not come in time (a broker that blocks us, or reads slowly) is
 * closed instead ({@link #closeUnlessConfirmed}): Spring waits for its confirms and closes it on that thread, the
 * page's own not held, and never caches it again (TimedOutConfirmChannelIT).
 */
final class PageChannel {

    private PageChannel() {}

    /** The channel a cached channel's proxy stands for: its close reason stays readable once the proxy let it go. */
    static Channel target(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }

    /**
     * Called last inside the invoke that holds {@code held} (the template's channel, Spring's proxy): when a publish of
     * {@code published} (nulls skipped) is still without its confirm, the invoke's close of the channel is a physical
     * one. Spring then waits for the confirms on a thread of its own (up to the factory's close timeout) and closes the
     * channel, which goes back to no cache: the caller is not held, and a confirm that comes late completes its
     * correlation as it would have (the page's result for it is already a failed attempt, tried again later).
     */
    static void closeUnlessConfirmed(Channel held, Stream<CorrelationData> published) {
        if (published.filter(Objects::nonNull).anyMatch(c -> !c.getFuture().isDone())) {
            // A thread-local read and cleared by the proxy's next close: the invoke's, on this thread, right after.
            RabbitUtils.setPhysicalCloseRequired(held, true);
        }
    }
}
