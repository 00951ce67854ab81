package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The refund consumer's queue of a dead-letter alarm test: a poison message (not JSON) first, {@link #GOOD} good
 * messages behind it, and what became of them — the good ones acknowledged (as duplicates) while the alarm lasts, the
 * poison's dead-letter copy landing once it clears. A bean of the test's context: the test class registers the consumer
 * ({@link #register}) and imports this class ({@code @Import(PoisonedRefundQueue.class)}).
 */
final class PoisonedRefundQueue {

    static final int GOOD = 20;
    private static final String ROUTING_KEY = "gbm.refund_event";

    private final RabbitTemplate rabbit;
    private final SimpleMessageListenerContainer consumer;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final String exchange;
    private final String queue;

    PoisonedRefundQueue(
            RabbitTemplate rabbit,
            @Qualifier("refundPlaceListenerContainer") SimpleMessageListenerContainer consumer,
            JdbcTemplate jdbc,
            MeterRegistry meters,
            @Value("${gbm.mq.internal-exchange}") String exchange,
            @Value("${gbm.mq.refund-consumer.queue}") String queue) {
        this.rabbit = rabbit;
        this.consumer = consumer;
        this.jdbc = jdbc;
        this.meters = meters;
        this.exchange = exchange;
        this.queue = queue;
    }

    /**
     * The refund consumer on {@code exchange} and {@code queue}, its dead letters in {@code queue.dead}, retried after
     * 50 ms; one consumer and its default prefetch of 10, so what it takes in before a stall is counted exactly.
     */
    static void register(DynamicPropertyRegistry registry, String exchange, String queue) {
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.internal-exchange", () -> exchange);
        registry.add("gbm.mq.refund-consumer.queue", () -> queue);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> queue + ".dead");
        registry.add("gbm.mq.refund-consumer.retry-delay", () -> "50ms");
        registry.add("gbm.mq.refund-consumer.concurrency", () -> "1");
        registry.add("gbm.mq.refund-consumer.prefetch", () -> "10");
    }

    /**
     * Stops the consumer, publishes the poison, then {@link #GOOD} redeliveries of refunds handled before (their records
     * say done: acknowledged as duplicates with no other effect), and waits until all are in the queue; returns the
     * poison's id.
     */
    String fill() throws InterruptedException {
        consumer.stop();
        String poison = "msg_poison_" + UUID.randomUUID().toString().replace("-", "");
        publish(poison, "not json");
        for (int i = 0; i < GOOD; i++) {
            String id = "msg_done_" + i + "_" + UUID.randomUUID().toString().replace("-", "");
            jdbc.update(
                    "INSERT INTO mq_consumption_record (consumer, message_id, status, attempts, version) "
                            + "VALUES (?, ?, 1, 1, 2)",
                    RefundPlaceReturnService.CONSUMER,
                    id);
            publish(
                    id,
                    "{\"type\":\"unpaid_unlock\",\"userId\":\"u\",\"teamId\":\"t\",\"orderId\":\"o\","
                            + "\"outTradeNo\":\"n\"}");
        }
        RabbitAdmin admin = new RabbitAdmin(rabbit.getConnectionFactory());
        await(() -> admin.getQueueInfo(queue).getMessageCount() == GOOD + 1);
        return poison;
    }

    /** Starts the consumer: the poison comes first. */
    void startConsumer() {
        consumer.start();
    }

    /** The messages the consumer acknowledged as duplicates so far. */
    double duplicates() {
        return meters.get("gbm.mq.refund.consumed")
                .tag("outcome", "duplicate")
                .counter()
                .count();
    }

    /**
     * Within 30 s every good message is acknowledged (exactly {@link #GOOD} duplicates more than {@code before}), and
     * the poison is not recorded dead while its copy is unconfirmed.
     */
    void assertGoodAcknowledgedAndPoisonNotDead(String poison, double before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (duplicates() - before < GOOD && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(duplicates() - before)
                .as("good messages acknowledged during the alarm")
                .isEqualTo(GOOD);
        assertThat(record(poison))
                .as("the poison is not recorded dead while its copy is unconfirmed")
                .isZero();
    }

    /**
     * The poison's dead-letter copy lands with its reason (a copy whose confirm timed out may land as well: twice,
     * never none), and the poison is recorded dead.
     */
    void assertDeadLettered(String poison) throws InterruptedException {
        Message dead = awaitDeadLetter(poison);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .endsWith("malformed: body is not JSON");
        await(() -> record(poison) == 2);
    }

    /** Whether the dead-letter queue is on the broker (a policy's {@code expires} removes it). */
    boolean deadLetterQueueExists() {
        return new RabbitAdmin(rabbit.getConnectionFactory()).getQueueInfo(queue + ".dead") != null;
    }

    /** Waits up to 15 s for the message's consumption record to say dead-lettered (status 2). */
    void awaitRecordedDead(String messageId) throws InterruptedException {
        await(() -> record(messageId) == 2);
    }

    private void publish(String messageId, String body) {
        rabbit.send(
                exchange,
                ROUTING_KEY,
                MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .setMessageId(messageId)
                        .setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    private int record(String messageId) {
        return jdbc
                .queryForList(
                        "SELECT status FROM mq_consumption_record WHERE consumer = ? AND message_id = ?",
                        Integer.class,
                        RefundPlaceReturnService.CONSUMER,
                        messageId)
                .stream()
                .findFirst()
                .orElse(-1);
    }

    private Message awaitDeadLetter(String messageId) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            Message message = rabbit.receive(queue + ".dead", 500);
            if (message != null
                    && messageId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        throw new AssertionError("no dead letter " + messageId + " within 20 s");
    }
}
