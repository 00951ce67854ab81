package com.groupbuy.market.trigger.listener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** A consumer of plain-text messages for the listener's own tests: each delivery's outcome comes from {@code consume}. */
final class StringListener {

    private StringListener() {}

    /** Copies dead letters through {@code copies}; each delivery's outcome is {@code consume}'s (which may throw). */
    static RecordedMessageListener<String> of(RabbitTemplate copies, Supplier<ConsumeOutcome> consume) {
        return of(copies, consume, new SimpleMeterRegistry());
    }

    /** {@link #of(RabbitTemplate, Supplier)}, counting its deliveries ({@code gbm.test.consumed}) in {@code meters}. */
    static RecordedMessageListener<String> of(
            RabbitTemplate copies, Supplier<ConsumeOutcome> consume, MeterRegistry meters) {
        return new RecordedMessageListener<>(
                "gbm.test.consumed", "test", "test", new ObjectMapper(), copies, "dead", Duration.ZERO, meters) {
            @Override
            protected String parse(String body) {
                return body;
            }

            @Override
            protected ConsumeOutcome consume(
                    String messageId, MessageProperties properties, String body, String parsed, String malformed) {
                return consume.get();
            }

            @Override
            protected void deadLettered(String messageId, ConsumeOutcome outcome) {}

            @Override
            protected void deadLetterNotCopied(String messageId, ConsumeOutcome outcome) {}
        };
    }
}
