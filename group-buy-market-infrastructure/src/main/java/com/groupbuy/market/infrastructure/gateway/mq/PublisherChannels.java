package com.groupbuy.market.infrastructure.gateway.mq;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.types.exception.Causes;
import java.time.Duration;
import java.time.Instant;
import org.springframework.amqp.AmqpResourceNotAvailableException;
import org.springframework.amqp.AmqpTimeoutException;

/**
 * The publisher connection's channels are all taken: our own bound ({@code gbm.mq.publisher-channels}, a checkout
 * that waited {@code gbm.mq.publisher-channel-wait} for one in vain) or the broker's {@code channel_max} on the
 * connection. Nothing was wrong with the message, the partner or the broker: like the broker's back-pressure, the
 * publishes that found no channel wait, not sent and no try used ({@link DeliveryResult#channelsBusy}), and are
 * published again shortly. Before, each was a failed attempt: a try charged to every partner of a busy page, toward
 * FAIL, and counted against the breaker every MQ partner shares.
 */
public final class PublisherChannels {

    /** How long a publish that found no channel waits before it is tried again. */
    public static final Duration RETRY_IN = Duration.ofSeconds(1);

    private PublisherChannels() {}

    /** Why no channel was to be had, when {@code failure} says so; null for any other failure. */
    public static String busy(Throwable failure) {
        for (Throwable cause : Causes.of(failure)) {
            if (cause instanceof AmqpTimeoutException && "No available channels".equals(cause.getMessage())) {
                return "every channel of the MQ publisher connection is taken (gbm.mq.publisher-channels) and none was"
                        + " freed within gbm.mq.publisher-channel-wait";
            }
            if (cause instanceof AmqpResourceNotAvailableException) {
                return "the broker's channel_max of the MQ publisher connection is reached (" + cause.getMessage()
                        + "); keep gbm.mq.publisher-channels under it";
            }
        }
        return null;
    }

    /** The result of a publish that found no channel: not sent, no try used, tried again {@link #RETRY_IN} later. */
    public static DeliveryResult waiting(Instant now, String why) {
        return DeliveryResult.channelsBusy(now.plus(RETRY_IN), why);
    }
}
