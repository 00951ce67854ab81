package com.groupbuy.market.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The MQ notify channel ({@code gbm.mq.*}); the broker connection itself is {@code spring.rabbitmq.*}. */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.mq")
public class MqProperties {

    /**
     * Most consumers one of our queues' containers may run ({@code gbm.close-check.concurrency}, {@code
     * gbm.mq.refund-consumer.concurrency}); fewer than one stopped the start inside Spring AMQP without naming the
     * setting. Each consumer is a thread and a channel on the one consumer connection (RabbitMQ allows 2,047 channels
     * on a connection by default, both containers together stay under it), and a busy one holds a database connection
     * (20 in the pool by default): past a few hundred more consumers close nothing sooner.
     */
    static final int MAX_CONSUMERS = 500;

    /** Off: locks asking for MQ answer E0203 and MQ tasks already written wait in the outbox. */
    private boolean enabled = true;
    /** The durable topic exchange malls bind to; the name is part of the partner contract. */
    private String exchange = "group_buy_market_exchange";
    /**
     * Our own durable direct exchange for events only we consume (the refund event, key {@code gbm.refund_event});
     * malls never bind it, so they see no other partner's refunds.
     */
    private String internalExchange = "group_buy_market_internal_exchange";
    /**
     * Routing key by notify category; a category not named uses {@code topic.team_success} (trade_settlement) or
     * {@code topic.team_refund} (the refund categories).
     */
    private Map<String, String> routingKeys = new LinkedHashMap<>();
    /**
     * Opt-in isolation of an MQ partner, by source then channel (write each key in brackets, {@code
     * gbm.mq.partner-exchanges.[S01].[c01]=gbm_mall_s01}: ids compare exactly): the durable topic exchange of the
     * partner's own to which its team-complete and refund messages go, with the same routing keys, instead of
     * {@link #exchange}, which every partner may bind. A partner not named keeps the shared exchange (the original
     * platform's contract). Each name is the partner's alone: not {@link #exchange}, not {@link #internalExchange},
     * not another partner's, not {@code amq.*}; else the start is refused.
     */
    private Map<String, Map<String, String>> partnerExchanges = new LinkedHashMap<>();
    /** How long an attempt waits for the broker's confirm before it counts as failed. */
    private Duration confirmTimeout = Duration.ofSeconds(5);
    /**
     * After the broker refused the exchange declare, how long before declaring again: 1 s to 1 h (else the start is
     * refused). Under a second every MQ delivery and health check declared again against a broker that refuses, and a
     * bare number is milliseconds; over an hour a partner's fixed exchange waited that long for its messages.
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration declareRetry = Duration.ofSeconds(10);
    /**
     * Most channels the publisher connection (MQ callbacks, close checks, the exchanges' declares) holds at once: a
     * publish that finds them all taken waits up to {@link #publisherChannelWait} for one, then waits in the outbox,
     * not sent and no try used (MqPublisherChannelsConfig). A channel with confirms on their way is taken until they
     * arrive, and each isolated partner of a page is published on a channel of its own: unbounded, a few lanes of many
     * isolated partners opened past the broker's {@code channel_max} (every further publish of the page failed, a try
     * charged to each) or past our user's {@code max-channels} (the broker closed the whole connection, 530, with
     * every publish on it). 1 to 2,047 (RabbitMQ's default {@code channel_max}; else the start is refused); the
     * broker's {@code channel_max} and our user's {@code max-channels} must hold it (MqPermissionCheck).
     */
    @Min(1)
    @Max(2047)
    private int publisherChannels = 16;
    /**
     * How long a publish waits for one of the {@link #publisherChannels} to be free (confirms arrive in milliseconds):
     * 10 ms to 5 s (else the start is refused), within the batch's confirm window.
     */
    @DurationMin(millis = 10)
    @DurationMax(seconds = 5)
    private Duration publisherChannelWait = Duration.ofSeconds(1);
    /** A built-in listener that logs and keeps what arrives on the notify keys (default profile: the demo). */
    private boolean demoListener = false;

    /** The shortest {@link #confirmTimeout} taken: a bare number is milliseconds ({@code 5} = 5 ms, not 5 s). */
    static final Duration MIN_CONFIRM_TIMEOUT = Duration.ofMillis(100);

    /**
     * {@link #confirmTimeout} for the MQ channel's publishers, refused at start when it cannot be served: zero or less
     * let no publish be confirmed (every MQ callback and close check failed "ran out while publishing", and the
     * callbacks went on to FAIL after their last retry), and a few milliseconds failed most of them.
     */
    public Duration checkedConfirmTimeout() {
        if (confirmTimeout == null || confirmTimeout.compareTo(MIN_CONFIRM_TIMEOUT) < 0) {
            throw new IllegalStateException("gbm.mq.confirm-timeout must be at least " + MIN_CONFIRM_TIMEOUT.toMillis()
                    + " ms (a bare number is milliseconds: write the unit, e.g. 5s), got " + confirmTimeout);
        }
        return confirmTimeout;
    }

    /** The partner's own exchange when it is isolated, else null (it uses the shared {@link #exchange}). */
    public String partnerExchangeOf(String source, String channel) {
        Map<String, String> bySource = partnerExchanges.get(source);
        return bySource == null ? null : bySource.get(channel);
    }
}
