package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A dead letter whose copy landed but whose record could not be written (the database failing between the copy's
 * confirm and the record's update): the container acknowledges nothing for a listener that throws under manual
 * acknowledgement, so the delivery stayed unacknowledged on the channel — never redelivered while the consumer lived,
 * and holding one of its prefetch slots for good (a few such and the consumer stopped receiving). On the real broker
 * (a queue and a dead-letter queue of this class's own, deleted after each test), with records in memory whose
 * writes fail as a database going away would; on main both listeners threw out of {@code onMessage}.
 */
class DeadLetterRecordFailureIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5672;

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

    private Connection connection;
    private Channel channel;
    private CachingConnectionFactory publisher;
    private String queue;
    private String deadLetters;

    @BeforeEach
    void queuesOfItsOwn() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        connection = factory.newConnection("dead-letter-record-failure-it");
        channel = connection.createChannel();
        queue = "gbmtest.dlrf." + UUID.randomUUID();
        deadLetters = queue + ".dead";
        channel.queueDeclare(queue, false, false, false, null);
        channel.queueDeclare(deadLetters, false, false, false, null);
        // As the service's copies: mandatory, with correlated confirms and returns, on a connection of their own.
        publisher = new CachingConnectionFactory(HOST, PORT);
        publisher.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        publisher.setPublisherReturns(true);
    }

    @AfterEach
    void deleteThem() throws Exception {
        try (Channel cleaner = connection.createChannel()) {
            cleaner.queueDelete(queue);
            cleaner.queueDelete(deadLetters);
        } finally {
            connection.close();
            publisher.destroy();
        }
    }

    private RabbitTemplate copies() {
        RabbitTemplate copies = new RabbitTemplate(publisher);
        copies.setMandatory(true);
        return copies;
    }

    /** Publishes a message to the test's queue and takes it back unacknowledged, as a consumer's delivery. */
    private Message delivery(String messageId, String body) throws Exception {
        channel.basicPublish(
                "",
                queue,
                new AMQP.BasicProperties.Builder().messageId(messageId).build(),
                body.getBytes(StandardCharsets.UTF_8));
        return taken(messageId);
    }

    private Message taken(String messageId) throws Exception {
        GetResponse got = next(channel, queue, false);
        assertThat(got).as("a delivery of %s", messageId).isNotNull();
        return refundDelivery(got, queue);
    }

    /** A message taken from the queue as the container hands a refund event's delivery to the listener. */
    static Message refundDelivery(GetResponse got, String queue) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(got.getProps().getMessageId());
        properties.setDeliveryTag(got.getEnvelope().getDeliveryTag());
        properties.setRedelivered(got.getEnvelope().isRedeliver());
        properties.setReceivedRoutingKey("topic.team_refund");
        properties.setConsumerQueue(queue);
        return new Message(got.getBody(), properties);
    }

    /** The queue's next message, waited for up to 5 s (a nack's requeue is asynchronous). */
    static GetResponse next(Channel channel, String queue, boolean ack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        GetResponse got = channel.basicGet(queue, ack);
        while (got == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            got = channel.basicGet(queue, ack);
        }
        return got;
    }

    @Test
    void aRefundDeadLetterWhoseRecordFailsIsHandedBackNotLeftUnacknowledged() throws Exception {
        FailingRecords records = new FailingRecords();
        RefundPlaceListener listener = new RefundPlaceListener(
                new RefundPlaceReturnService(records, null, null, 3),
                new ObjectMapper(),
                copies(),
                deadLetters,
                Duration.ZERO,
                new SimpleMeterRegistry());
        assertHandedBack(listener, delivery("m-poison", "not json"));
    }

    /** The delivery handed back to the broker (requeued, redelivered), neither thrown nor acknowledged. */
    private void assertHandedBack(RecordedMessageListener<?> listener, Message delivery) throws Exception {
        assertThatCode(() -> listener.onMessage(delivery, channel)).doesNotThrowAnyException();
        assertThat(channel.messageCount(deadLetters)).as("dead-letter copies").isPositive();
        // Handed back on this very channel, still open: the broker redelivers it at once.
        assertThat(channel.isOpen()).isTrue();
        Message again = taken(delivery.getMessageProperties().getMessageId());
        assertThat(again.getMessageProperties().isRedelivered()).isTrue();
        channel.basicNack(again.getMessageProperties().getDeliveryTag(), false, true);
    }

    @Test
    void aBundleWhoseDeadChecksRecordFailsIsHandedBackAfterEveryCheckHadItsAttempt() throws Exception {
        FailingRecords records = new FailingRecords();
        CloseCheckListener listener = new CloseCheckListener(
                new CloseCheckService(records, null, null, null, null, Clock.systemUTC(), 3, Duration.ZERO, null),
                new ObjectMapper(),
                copies(),
                deadLetters,
                Duration.ZERO,
                new SimpleMeterRegistry());
        String bundle = "{\"checks\":[{\"id\":\"c-1\",\"body\":{\"check\":\"nonsense\"}},"
                + "{\"id\":\"c-2\",\"body\":{\"check\":\"nonsense\"}}]}";

        assertHandedBack(listener, delivery("b-1", bundle));
        // The second check had its attempt too (its record opened), though the first one's record failed.
        assertThat(records.records).containsKeys("c-1", "c-2");

        // The database back, the redelivery copies both again (a copy twice rather than none), records them dead and
        // is acknowledged: once the channel closes, nothing is left to requeue.
        records.failMarks = false;
        long copiesBefore = channel.messageCount(deadLetters);
        listener.onMessage(taken("b-1"), channel);
        assertThat(records.marks).containsExactly("failed c-1", "failed c-2");
        assertThat(channel.messageCount(deadLetters)).as("both copied again").isEqualTo(copiesBefore + 2);
        channel.close();
        try (Channel after = connection.createChannel()) {
            assertThat(after.basicGet(queue, true))
                    .as("the bundle acknowledged")
                    .isNull();
        }
    }
}
