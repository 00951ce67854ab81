package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A dead-letter copy that failed in the client (a channel's open timed out in a broker alarm) is told to the hook the
 * app sets, which closes the channel the client left taken (StrandedChannels, ChannelStrandIT); the copy is reported
 * not landed, so the delivery is handed back.
 */
class CopyFailureToldTest {

    @Test
    void aCopyThatFailedInTheClientIsToldToTheHook() {
        AmqpIOException openTimedOut = new AmqpIOException(new IOException("channel.open timed out"));
        RabbitTemplate copies = new RabbitTemplate() {
            @Override
            public void send(String exchange, String routingKey, Message message, CorrelationData correlation) {
                throw openTimedOut;
            }
        };
        RecordedMessageListener<String> listener = StringListener.of(copies, () -> ConsumeOutcome.dead("poison", 1, 1));
        List<Throwable> told = new ArrayList<>();
        listener.setCopyFailed(told::add);
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);

        boolean landed = listener.deadLetter(
                new Message(body, new MessageProperties()), "m1", body, ConsumeOutcome.dead("poison", 1, 1));

        assertThat(landed).isFalse();
        assertThat(told).containsExactly(openTimedOut);
    }
}
