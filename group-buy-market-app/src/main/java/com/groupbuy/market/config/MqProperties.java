package com.groupbuy.market.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The MQ notify channel ({@code gbm.mq.*}); the broker connection itself is {@code spring.rabbitmq.*}. */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.mq")
public class MqProperties {

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
    /** How long an attempt waits for the broker's confirm before it counts as failed. */
    private Duration confirmTimeout = Duration.ofSeconds(5);
    /** After the broker refused the exchange declare, how long before declaring again. */
    private Duration declareRetry = Duration.ofSeconds(10);
    /** A built-in listener that logs and keeps what arrives on the notify keys (default profile: the demo). */
    private boolean demoListener = false;
}
