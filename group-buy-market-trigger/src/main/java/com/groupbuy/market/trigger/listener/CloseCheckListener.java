package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.amqp.core.MessageProperties;

/**
 * Delivers expired close checks (#15) from the close-check queue to {@link CloseCheckService}, with the manual
 * acknowledgement, bounded redelivery and dead letter of {@link RecordedMessageListener}.
 */
public class CloseCheckListener extends RecordedMessageListener<CloseCheckVO> {

    private final CloseCheckService service;

    public CloseCheckListener(
            CloseCheckService service,
            ObjectMapper json,
            String deadLetterQueue,
            Duration retryDelay,
            MeterRegistry meters) {
        super(
                "gbm.close.check.consumed",
                "close-check deliveries by outcome",
                "close check",
                json,
                deadLetterQueue,
                retryDelay,
                meters);
        this.service = service;
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
    protected CloseCheckVO parse(String body) {
        JsonNode node = object(body);
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
        return new CloseCheckVO(
                kind,
                teamId,
                orderId,
                Instant.ofEpochMilli(closeAt.asLong()),
                Duration.ofMillis(delay.canConvertToLong() ? delay.asLong() : 0));
    }
}
