package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
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
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Delivers expired close checks (#15) from the close-check queue to {@link CloseCheckService}, with manual
 * acknowledgement: acknowledged only after the outcome is recorded; a failed attempt is handed back to the broker
 * after a short pause (at most the consumer's attempts, counted in the consumption record); a malformed message or one
 * out of attempts is copied to the dead-letter queue with the reason in header
 * {@value RefundPlaceListener#DEAD_REASON_HEADER}, then acknowledged.
 */
@Slf4j
public class CloseCheckListener implements ChannelAwareMessageListener {

    private final CloseCheckService service;
    private final ObjectMapper json;
    private final String deadLetterQueue;
    private final Duration retryDelay;
    private final Map<ConsumeOutcome.Action, Counter> outcomes = new EnumMap<>(ConsumeOutcome.Action.class);
    private final Counter errors;

    public CloseCheckListener(CloseCheckService service, ObjectMapper json, String deadLetterQueue,
                              Duration retryDelay, MeterRegistry meters) {
        this.service = service;
        this.json = json;
        this.deadLetterQueue = deadLetterQueue;
        this.retryDelay = retryDelay;
        for (ConsumeOutcome.Action action : ConsumeOutcome.Action.values()) {
            outcomes.put(action, Counter.builder("gbm.close.check.consumed").tag("outcome", action.name().toLowerCase())
                    .description("close-check deliveries by outcome").register(meters));
        }
        this.errors = Counter.builder("gbm.close.check.consumed").tag("outcome", "error")
                .description("close-check deliveries by outcome").register(meters);
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        String messageId = properties.getMessageId();
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        ConsumeOutcome outcome;
        try {
            CloseCheckVO check = null;
            String malformed = null;
            try {
                check = parse(body);
            } catch (IllegalArgumentException e) {
                malformed = e.getMessage();
            }
            outcome = service.consume(messageId, properties.getConsumerQueue(), body, check, malformed);
        } catch (RuntimeException e) {
            // Our side failed before an attempt could be counted (database down): not the message's fault.
            errors.increment();
            log.warn("close check message={} not handled ({}); handed back to the broker", messageId, e.toString());
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

    /** A copy on the dead-letter queue (persistent, same id and body, no expiration) with why and after how many tries. */
    private void deadLetter(Channel channel, Message message, ConsumeOutcome outcome) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        Map<String, Object> headers = new HashMap<>(properties.getHeaders());
        headers.put(RefundPlaceListener.DEAD_REASON_HEADER, outcome.reason());
        headers.put(RefundPlaceListener.ATTEMPTS_HEADER, outcome.attempts());
        AMQP.BasicProperties copy = new AMQP.BasicProperties.Builder()
                .messageId(properties.getMessageId())
                .contentType(properties.getContentType())
                .deliveryMode(2)
                .headers(headers)
                .build();
        channel.basicPublish("", deadLetterQueue, copy, message.getBody());
    }

    /** The body as a close check; IllegalArgumentException naming what is wrong. */
    private CloseCheckVO parse(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        CloseCheckVO.Kind kind = CloseCheckVO.Kind.ofCheck(node.path(CloseCheckVO.FIELD_CHECK).asText());
        if (kind == null) {
            throw new IllegalArgumentException(CloseCheckVO.FIELD_CHECK + " must be unpaid_order or team_expiry");
        }
        String teamId = text(node, CloseCheckVO.FIELD_TEAM_ID);
        String orderId = kind == CloseCheckVO.Kind.UNPAID_ORDER ? text(node, CloseCheckVO.FIELD_ORDER_ID) : null;
        JsonNode closeAt = node.get(CloseCheckVO.FIELD_CLOSE_AT);
        if (closeAt == null || !closeAt.canConvertToLong()) {
            throw new IllegalArgumentException(CloseCheckVO.FIELD_CLOSE_AT + " is missing or not a number");
        }
        JsonNode delay = node.path(CloseCheckVO.FIELD_DELAY_MS);
        return new CloseCheckVO(kind, teamId, orderId, Instant.ofEpochMilli(closeAt.asLong()),
                Duration.ofMillis(delay.canConvertToLong() ? delay.asLong() : 0));
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
