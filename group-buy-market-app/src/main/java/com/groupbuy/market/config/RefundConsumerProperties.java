package com.groupbuy.market.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Our own refund consumer ({@code gbm.mq.refund-consumer.*}); it runs only when {@code gbm.mq.enabled} is true too.
 * The queue is bound to our internal exchange ({@code gbm.mq.internal-exchange}) with {@code gbm.refund_event}.
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.mq.refund-consumer")
public class RefundConsumerProperties {

    private boolean enabled = true;
    /**
     * Exchange and routing key earlier versions bound our queue with: the partners' exchange and refund key, so every
     * mall bound to that key saw all partners' refunds. The binding is removed at start-up.
     */
    private String exchange = "group_buy_market_exchange";

    private String routingKey = "topic.team_refund";
    /** Our durable queue, bound to our internal exchange with the refund event's key. */
    private String queue = "group_buy_market_queue_2_topic_team_refund";
    /** Durable queue where messages that are malformed or out of attempts are copied, with the reason in a header. */
    private String deadLetterQueue = "group_buy_market_queue_2_topic_team_refund.dead";
    /**
     * Attempts per message (counted in its consumption record) before it is dead-lettered: 1 to 100 (else the start is
     * refused; under 1 was refused without the setting's name, and a huge number redelivered a failing refund for ever).
     */
    @Min(1)
    @Max(100)
    private int maxAttempts = 3;
    /**
     * Pause before a failed attempt's message is handed back to the broker (so a brief outage is not 3 quick fails): 0
     * to 1 min (else the start is refused). A negative one failed in the consumer at every failed attempt; the
     * consumer's thread sleeps it, so past a minute one failing refund stalled the others that long.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    @DurationMax(minutes = 1)
    private Duration retryDelay = Duration.ofSeconds(1);

    /**
     * Deliveries each consumer holds unacknowledged, 1 to 65,535 (else the start is refused): 0 is not AMQP's
     * "unlimited" here, Spring's container silently took 1 for it (and for less); over AMQP's 65,535 the client
     * silently set 65,535.
     */
    @Min(1)
    @Max(65_535)
    private int prefetch = 10;

    /** Consumers of the refund queue: 1 to 500 ({@link MqProperties#MAX_CONSUMERS}). */
    @Min(1)
    @Max(MqProperties.MAX_CONSUMERS)
    private int concurrency = 1;
}
