package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Delivers expired close checks (#15) from the close-check queue to {@link CloseCheckService}, with the manual
 * acknowledgement, bounded redelivery and dead letter of {@link RecordedMessageListener}.
 * <p>
 * A delivery is one check (its body the check, its message id the check's) or a bundle of several (#19: body
 * {@code {"checks":[{"id":..,"body":{..}},..]}}, each check with its own id). Each check of a bundle is its own
 * attempt under its own consumption record: one that is done is done for good (a redelivery of the bundle finds its
 * record done and skips it), one that is dead is copied alone to the dead-letter queue, and one that failed an attempt
 * (or could not be attempted) hands the whole bundle back to the broker once every other check had its attempt — the
 * others' records make their redelivery a no-op, so no check is lost and none is closed twice.
 */
public class CloseCheckListener extends RecordedMessageListener<CloseCheckVO> {

    private final CloseCheckService service;

    public CloseCheckListener(
            CloseCheckService service,
            ObjectMapper json,
            RabbitTemplate copies,
            String deadLetterQueue,
            Duration retryDelay,
            MeterRegistry meters) {
        super(
                "gbm.close.check.consumed",
                "close-check deliveries by outcome",
                "close check",
                json,
                copies,
                deadLetterQueue,
                retryDelay,
                meters);
        this.service = service;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        List<Map.Entry<String, String>> checks = bundle(message.getBody());
        if (checks == null) {
            super.onMessage(message, channel);
            return;
        }
        MessageProperties properties = message.getMessageProperties();
        boolean again = false;
        for (Map.Entry<String, String> check : checks) {
            ConsumeOutcome outcome = attempt(check.getKey(), properties, check.getValue());
            if (outcome == null || outcome.handedBack()) {
                again = true;
            } else if (outcome.action() == ConsumeOutcome.Action.DEAD) {
                if (deadLetter(message, check.getKey(), check.getValue().getBytes(StandardCharsets.UTF_8), outcome)) {
                    // Its record not written: the bundle comes back, and this check is copied and recorded again then.
                    again |= !recorded(check.getKey(), () -> deadLettered(check.getKey(), outcome));
                } else {
                    // Its copy is not confirmed: the bundle comes back, and this check is copied again then.
                    recorded(check.getKey(), () -> deadLetterNotCopied(check.getKey(), outcome));
                    again = true;
                }
            }
        }
        if (again) {
            pause();
            channel.basicNack(properties.getDeliveryTag(), false, true);
        } else {
            channel.basicAck(properties.getDeliveryTag(), false);
        }
    }

    /**
     * The checks of a bundle as (message id, body) in order, or null when the body is not a bundle (an object with
     * an array {@value CloseCheckVO#BUNDLE_FIELD_CHECKS} and no {@value CloseCheckVO#FIELD_CHECK} of its own): then it
     * is one check, as every message published before bundles. An entry without a textual id has a null id (its
     * attempt is dead at once: no record can be kept for it). Null too for more than
     * {@value CloseCheckVO#BUNDLE_MAX_CHECKS} checks, which no publisher of ours writes: the message is then one
     * malformed check, dead-lettered whole ({@link #parse}). Taken check by check, a bundle of 1,001 entries {@code {}}
     * (6 kB) made 1,001 dead-letter copies, each with the delivery's headers and each awaited in turn
     * (CloseCheckBundleIT#aBundleOfMoreChecks…).
     */
    private List<Map.Entry<String, String>> bundle(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (node == null
                || !node.isObject()
                || node.has(CloseCheckVO.FIELD_CHECK)
                || !node.path(CloseCheckVO.BUNDLE_FIELD_CHECKS).isArray()
                || node.get(CloseCheckVO.BUNDLE_FIELD_CHECKS).size() > CloseCheckVO.BUNDLE_MAX_CHECKS) {
            return null;
        }
        List<Map.Entry<String, String>> checks = new ArrayList<>();
        for (JsonNode entry : node.get(CloseCheckVO.BUNDLE_FIELD_CHECKS)) {
            JsonNode id = entry.path(CloseCheckVO.BUNDLE_FIELD_ID);
            JsonNode check = entry.path(CloseCheckVO.BUNDLE_FIELD_BODY);
            checks.add(new AbstractMap.SimpleImmutableEntry<>(
                    id.isTextual() && !id.asText().isBlank() ? id.asText() : null,
                    check.isMissingNode() ? entry.toString() : check.toString()));
        }
        return checks;
    }

    @Override
    protected ConsumeOutcome consume(
            String messageId, MessageProperties properties, String body, CloseCheckVO check, String malformed) {
        return service.consume(messageId, properties.getConsumerQueue(), body, check, malformed);
    }

    @Override
    protected void deadLettered(String messageId, ConsumeOutcome outcome) {
        service.deadLettered(messageId, outcome);
    }

    @Override
    protected void deadLetterNotCopied(String messageId, ConsumeOutcome outcome) {
        service.deadLetterNotCopied(messageId, outcome);
    }

    @Override
    protected CloseCheckVO parse(String body) {
        JsonNode node = object(body);
        if (!node.has(CloseCheckVO.FIELD_CHECK)
                && node.path(CloseCheckVO.BUNDLE_FIELD_CHECKS).isArray()) {
            throw new IllegalArgumentException("a bundle of more than " + CloseCheckVO.BUNDLE_MAX_CHECKS
                    + " checks, or within a bundle: none is published so");
        }
        CloseCheckVO.Kind kind =
                CloseCheckVO.Kind.ofCheck(node.path(CloseCheckVO.FIELD_CHECK).asText());
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
        long closeAtMs = inRange(
                CloseCheckVO.FIELD_CLOSE_AT,
                closeAt.asLong(),
                CloseCheckVO.EARLIEST_CLOSE_AT_MS,
                CloseCheckVO.LATEST_CLOSE_AT_MS,
                " (epoch ms: 1970 to 9999)");
        long delayMs = inRange(
                CloseCheckVO.FIELD_DELAY_MS,
                delay.canConvertToLong() ? delay.asLong() : 0,
                0,
                CloseCheckVO.LONGEST_DELAY_MS,
                " ms");
        return new CloseCheckVO(kind, teamId, orderId, Instant.ofEpochMilli(closeAtMs), Duration.ofMillis(delayMs));
    }

    /** {@code value}, or IllegalArgumentException naming the field, the value and the range. */
    private static long inRange(String field, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is out of range: " + min + " to " + max + unit);
        }
        return value;
    }
}
