package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.RefundMessageVO;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Delivers {@code topic.team_refund} messages to {@link RefundPlaceReturnService} with manual acknowledgement: a
 * delivery is acknowledged only after its outcome is recorded; a failed attempt is handed back to the broker (after
 * a short pause) for the next; a message that is malformed or out of attempts is copied to the dead-letter queue
 * with the reason in header {@value #DEAD_REASON_HEADER}, then acknowledged.
 */
@Slf4j
public class RefundPlaceListener implements ChannelAwareMessageListener {

    public static final String DEAD_REASON_HEADER = "x-gbm-dead-reason";
    public static final String ATTEMPTS_HEADER = "x-gbm-attempts";
    public static final String ORIGINAL_ROUTING_KEY_HEADER = "x-gbm-original-routing-key";
    private static final Set<String> TYPES = Arrays.stream(RefundType.values()).map(RefundType::getType)
            .collect(Collectors.toUnmodifiableSet());

    private final RefundPlaceReturnService service;
    private final ObjectMapper json;
    private final String deadLetterQueue;
    private final Duration retryDelay;
    private final Map<ConsumeOutcome.Action, Counter> outcomes = new EnumMap<>(ConsumeOutcome.Action.class);
    private final Counter errors;

    public RefundPlaceListener(RefundPlaceReturnService service, ObjectMapper json, String deadLetterQueue,
                               Duration retryDelay, MeterRegistry meters) {
        this.service = service;
        this.json = json;
        this.deadLetterQueue = deadLetterQueue;
        this.retryDelay = retryDelay;
        for (ConsumeOutcome.Action action : ConsumeOutcome.Action.values()) {
            outcomes.put(action, Counter.builder("gbm.mq.refund.consumed").tag("outcome", action.name().toLowerCase())
                    .description("refund message deliveries by outcome").register(meters));
        }
        this.errors = Counter.builder("gbm.mq.refund.consumed").tag("outcome", "error")
                .description("refund message deliveries by outcome").register(meters);
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        String messageId = properties.getMessageId();
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        ConsumeOutcome outcome;
        try {
            RefundMessageVO refund = null;
            String malformed = null;
            try {
                refund = parse(body);
            } catch (IllegalArgumentException e) {
                malformed = e.getMessage();
            }
            outcome = service.consume(messageId, properties.getReceivedRoutingKey(), body, refund, malformed);
        } catch (RuntimeException e) {
            // Our side failed before an attempt could be counted (database down): not the message's fault, so it
            // goes back to the broker without using an attempt.
            errors.increment();
            log.warn("refund message={} not handled ({}); handed back to the broker", messageId, e.toString());
            pause();
            channel.basicNack(tag, false, true);
            return;
        }
        outcomes.get(outcome.action()).increment();
        switch (outcome.action()) {
            case DONE, DUPLICATE -> channel.basicAck(tag, false);
            case RETRY -> {
                pause();
                channel.basicNack(tag, false, true);
            }
            case DEAD -> {
                deadLetter(channel, message, outcome);
                service.deadLettered(messageId, outcome);
                channel.basicAck(tag, false);
            }
        }
    }

    /** A copy on the dead-letter queue (persistent, same id and body) with why and after how many attempts. */
    private void deadLetter(Channel channel, Message message, ConsumeOutcome outcome) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        Map<String, Object> headers = new HashMap<>(properties.getHeaders());
        headers.put(DEAD_REASON_HEADER, outcome.reason());
        headers.put(ATTEMPTS_HEADER, outcome.attempts());
        if (properties.getReceivedRoutingKey() != null) {
            headers.put(ORIGINAL_ROUTING_KEY_HEADER, properties.getReceivedRoutingKey());
        }
        AMQP.BasicProperties copy = new AMQP.BasicProperties.Builder()
                .messageId(properties.getMessageId())
                .contentType(properties.getContentType())
                .deliveryMode(2)
                .headers(headers)
                .build();
        channel.basicPublish("", deadLetterQueue, copy, message.getBody());
    }

    /** The body as a refund event; IllegalArgumentException naming what is wrong. */
    private RefundMessageVO parse(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        String type = text(node, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + TYPES);
        }
        JsonNode activityId = node.path("activityId");
        return new RefundMessageVO(type, text(node, "userId"), text(node, "teamId"),
                activityId.isNumber() ? activityId.asLong() : null, text(node, "orderId"), text(node, "outTradeNo"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private void pause() {
        if (retryDelay.isZero()) {
            return;
        }
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
