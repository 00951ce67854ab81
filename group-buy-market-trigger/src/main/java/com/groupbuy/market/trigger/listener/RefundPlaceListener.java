package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.RefundMessageVO;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Delivers {@code topic.team_refund} messages to {@link RefundPlaceReturnService}, with the manual acknowledgement,
 * bounded redelivery and dead letter of {@link RecordedMessageListener}; the dead-letter copy keeps the routing key
 * the message came with.
 */
public class RefundPlaceListener extends RecordedMessageListener<RefundMessageVO> {

    private static final Set<String> TYPES =
            Arrays.stream(RefundType.values()).map(RefundType::getType).collect(Collectors.toUnmodifiableSet());

    private final RefundPlaceReturnService service;

    public RefundPlaceListener(
            RefundPlaceReturnService service,
            ObjectMapper json,
            RabbitTemplate copies,
            String deadLetterQueue,
            Duration retryDelay,
            MeterRegistry meters) {
        super(
                "gbm.mq.refund.consumed",
                "refund message deliveries by outcome",
                "refund",
                json,
                copies,
                deadLetterQueue,
                retryDelay,
                meters);
        this.service = service;
    }

    @Override
    protected ConsumeOutcome consume(
            String messageId, MessageProperties properties, String body, RefundMessageVO refund, String malformed) {
        return service.consume(messageId, properties.getReceivedRoutingKey(), body, refund, malformed);
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
    protected boolean keepsRoutingKey() {
        return true;
    }

    @Override
    protected RefundMessageVO parse(String body) {
        JsonNode node = object(body);
        String type = text(node, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + TYPES);
        }
        JsonNode activityId = node.path("activityId");
        return new RefundMessageVO(
                type,
                text(node, "userId"),
                text(node, "teamId"),
                activityId.isNumber() ? activityId.asLong() : null,
                text(node, "orderId"),
                text(node, "outTradeNo"));
    }
}
