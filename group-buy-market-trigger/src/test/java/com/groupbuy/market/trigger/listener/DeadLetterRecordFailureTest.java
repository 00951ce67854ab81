package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A dead letter whose copy landed but whose record could not be written (the database failing between the copy's
 * confirm and the record's update): the container acknowledges nothing for a listener that throws under manual
 * acknowledgement, so the delivery stayed unacknowledged on the channel — never redelivered while the consumer lived,
 * and holding one of its prefetch slots for good (a few such and the consumer stopped receiving).
 */
class DeadLetterRecordFailureTest {

    /** Records in memory; {@code markFailed} and {@code recordFailure} throw as a database going away would. */
    static final class FailingRecords implements IConsumptionRecordRepository {
        final Map<String, ConsumptionRecordVO> records = new HashMap<>();
        final List<String> marks = new ArrayList<>();
        boolean failMarks = true;

        @Override
        public ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body) {
            return records.computeIfAbsent(
                    messageId,
                    id -> new ConsumptionRecordVO(consumer, id, routingKey, body, 0, 0, 0, null, null, null));
        }

        @Override
        public boolean openStarted(String consumer, String messageId, String routingKey, String body) {
            if (records.containsKey(messageId)) {
                return false;
            }
            records.put(
                    messageId,
                    new ConsumptionRecordVO(consumer, messageId, routingKey, body, 0, 1, 1, null, null, null));
            return true;
        }

        @Override
        public boolean startAttempt(String consumer, String messageId, int version) {
            ConsumptionRecordVO r = records.get(messageId);
            records.put(
                    messageId,
                    new ConsumptionRecordVO(
                            consumer,
                            messageId,
                            r.routingKey(),
                            r.body(),
                            0,
                            r.attempts() + 1,
                            version + 1,
                            null,
                            null,
                            null));
            return true;
        }

        @Override
        public boolean markSuccess(String consumer, String messageId, int version) {
            marks.add("success " + messageId);
            return true;
        }

        @Override
        public boolean recordFailure(String consumer, String messageId, int version, String error) {
            if (failMarks) {
                throw new IllegalStateException("database gone");
            }
            return true;
        }

        @Override
        public boolean markFailed(String consumer, String messageId, int version, String reason) {
            if (failMarks) {
                throw new IllegalStateException("database gone");
            }
            marks.add("failed " + messageId);
            return true;
        }

        @Override
        public List<ConsumptionRecordVO> list(Integer status, int offset, int limit) {
            return List.of();
        }
    }

    /** Copies the broker confirms and routes at once. */
    private static RabbitTemplate confirmingCopies() {
        RabbitTemplate copies = mock(RabbitTemplate.class);
        doAnswer(invocation -> {
                    CorrelationData correlation = invocation.getArgument(3);
                    correlation.getFuture().complete(new CorrelationData.Confirm(true, null));
                    return null;
                })
                .when(copies)
                .send(anyString(), anyString(), any(Message.class), any(CorrelationData.class));
        return copies;
    }

    private static Message delivery(String messageId, String body) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(messageId);
        properties.setDeliveryTag(7);
        properties.setReceivedRoutingKey("topic.team_refund");
        properties.setConsumerQueue("q");
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }

    @Test
    void aRefundDeadLetterWhoseRecordFailsIsHandedBackNotLeftUnacknowledged() throws Exception {
        FailingRecords records = new FailingRecords();
        RefundPlaceListener listener = new RefundPlaceListener(
                new RefundPlaceReturnService(records, null, null, 3),
                new ObjectMapper(),
                confirmingCopies(),
                "dlq",
                Duration.ZERO,
                new SimpleMeterRegistry());
        assertHandedBack(listener, delivery("m-poison", "not json"));
    }

    /** The delivery handed back to the broker (requeued), neither thrown nor acknowledged. */
    private static void assertHandedBack(RecordedMessageListener<?> listener, Message delivery) throws Exception {
        Channel channel = mock(Channel.class);
        assertThatCode(() -> listener.onMessage(delivery, channel)).doesNotThrowAnyException();
        verify(channel).basicNack(7L, false, true);
        verify(channel, never()).basicAck(anyLong(), anyBoolean());
    }

    @Test
    void aBundleWhoseDeadChecksRecordFailsIsHandedBackAfterEveryCheckHadItsAttempt() throws Exception {
        FailingRecords records = new FailingRecords();
        CloseCheckListener listener = new CloseCheckListener(
                new CloseCheckService(records, null, null, null, null, Clock.systemUTC(), 3, Duration.ZERO),
                new ObjectMapper(),
                confirmingCopies(),
                "dlq",
                Duration.ZERO,
                new SimpleMeterRegistry());
        String bundle = "{\"checks\":[{\"id\":\"c-1\",\"body\":{\"check\":\"nonsense\"}},"
                + "{\"id\":\"c-2\",\"body\":{\"check\":\"nonsense\"}}]}";

        assertHandedBack(listener, delivery("b-1", bundle));
        // The second check had its attempt too (its record opened), though the first one's record failed.
        assertThat(records.records).containsKeys("c-1", "c-2");

        // The database back, the redelivery copies both again (a copy twice rather than none) and records them dead.
        records.failMarks = false;
        Channel again = mock(Channel.class);
        listener.onMessage(delivery("b-1", bundle), again);
        verify(again).basicAck(7L, false);
        assertThat(records.marks).containsExactly("failed c-1", "failed c-2");
    }
}
