package com.groupbuy.market.trigger.listener;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.Exchange;
import org.springframework.amqp.rabbit.annotation.Queue;
import org.springframework.amqp.rabbit.annotation.QueueBinding;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Plays an MQ mall on one machine: a throw-away queue bound to every key of the notify exchange, logging and keeping
 * the last 100 messages (read them at GET /api/v1/test/group_buy_mq). On only with {@code gbm.mq.demo-listener} (the
 * default profile); never in prod.
 */
@Slf4j
@Component
@Profile("!prod")
@ConditionalOnExpression("${gbm.mq.enabled:true} and ${gbm.mq.demo-listener:false}")
public class MqDemoListener {

    private static final int KEEP = 100;

    /** The converter bean of {@link #onMessage}: none, the body stays bytes. */
    static final String RAW_BODY = "mqDemoRawBody";

    private final Deque<Map<String, Object>> received = new ArrayDeque<>();

    @RabbitListener(
            bindings =
                    @QueueBinding(
                            value = @Queue(durable = "false", exclusive = "true", autoDelete = "true"),
                            exchange =
                                    @Exchange(
                                            value = "${gbm.mq.exchange:group_buy_market_exchange}",
                                            type = ExchangeTypes.TOPIC),
                            key = "#"),
            messageConverter = RAW_BODY)
    public void onMessage(Message message) {
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        String routingKey = message.getMessageProperties().getReceivedRoutingKey();
        log.info(
                "demo MQ listener got key={} id={} body={}",
                routingKey,
                message.getMessageProperties().getMessageId(),
                body);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("receivedAt", Instant.now().toString());
        entry.put("routingKey", routingKey);
        entry.put("messageId", String.valueOf(message.getMessageProperties().getMessageId()));
        entry.put(
                "webhookSignature",
                String.valueOf(message.getMessageProperties().getHeaders().get("webhook-signature")));
        entry.put("body", body);
        synchronized (received) {
            received.addFirst(entry);
            while (received.size() > KEEP) {
                received.removeLast();
            }
        }
    }

    /**
     * Takes the body as it came. Anyone publishing on the exchange reaches this listener, and Spring's default
     * converter deserialized a {@code application/x-java-serialized-object} body (nothing reachable from the network
     * runs code it was sent), and threw for a class off its allow list an exception the container did not count as
     * fatal: the message came back at once, forever (MqDemoListenerHostileIT).
     */
    @Bean(RAW_BODY)
    static MessageConverter mqDemoRawBody() {
        return new MessageConverter() {
            @Override
            public Message toMessage(Object object, MessageProperties properties) {
                throw new MessageConversionException("the demo listener only receives");
            }

            @Override
            public Object fromMessage(Message message) {
                return message.getBody();
            }
        };
    }

    public List<Map<String, Object>> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }
}
