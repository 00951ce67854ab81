package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRabbit;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A poison message's dead-letter copy while the broker already blocks our publisher connection (an earlier publish
 * of the alarm — a callback — blocked it): the copy must be refused at once and handed back, not wait on the blocked
 * connection (a channel's open waits there for the channel RPC timeout, 10 minutes) with the consumer thread and the
 * good messages behind it. Against a RabbitMQ node of this class's own, whose memory alarm it raises.
 */
@IntegrationTest
class MqBlockedDeadLetterIT {

    private static final String EXCHANGE = "gbm_t_blocked_exchange";
    private static final String QUEUE = "gbm_t_blocked_refund";
    private static final String DEAD = QUEUE + ".dead";
    private static final String ROUTING_KEY = "gbm.refund_event";
    private static final int GOOD = 20;

    private static PrivateRabbit broker;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker = PrivateRabbit.start();
        registry.add("spring.rabbitmq.port", () -> broker.port());
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.internal-exchange", () -> EXCHANGE);
        registry.add("gbm.mq.refund-consumer.queue", () -> QUEUE);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> DEAD);
        registry.add("gbm.mq.refund-consumer.retry-delay", () -> "50ms");
        // One consumer and its default prefetch of 10: what it takes in before a stall is counted exactly.
        registry.add("gbm.mq.refund-consumer.concurrency", () -> "1");
        registry.add("gbm.mq.refund-consumer.prefetch", () -> "10");
        registry.add("gbm.mq.confirm-timeout", () -> "2s");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    SimpleMessageListenerContainer refundPlaceListenerContainer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DueCallbackDeliveryService notifyService;

    private void insertCallbackTask() {
        String teamId = UUID.randomUUID().toString().substring(0, 8);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', "
                        + "'topic.team_success', 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "msg_blkdl" + teamId,
                teamId,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o1\"]}",
                Timestamp.from(Instant.now().minusSeconds(1)));
    }

    @Test
    void aPoisonMessageWhileTheBrokerBlocksOurPublisherConnectionDoesNotStopTheGoodMessagesBehindIt() throws Exception {
        refundPlaceListenerContainer.stop();
        String poison = "msg_poison_" + UUID.randomUUID().toString().replace("-", "");
        publish(poison, "not json");
        // Good messages behind it: redeliveries of refunds handled before (their records say done), acknowledged
        // as duplicates with no other effect.
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
        await(() -> admin.getQueueInfo(QUEUE).getMessageCount() == GOOD + 1);
        double duplicatesBefore = counter("duplicate");

        broker.memoryAlarm(true);
        try {
            // A callback due during the alarm: its publish makes the broker block the publisher connection (its
            // confirm never comes, the run ends after the 2 s confirm timeout).
            insertCallbackTask();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                NotifyRunSummary run =
                        runner.submit(notifyService::deliverAllDue).get(20, TimeUnit.SECONDS);
                assertThat(run.delivered()).isZero();
            } finally {
                runner.shutdownNow();
            }
            Thread.sleep(500);
            refundPlaceListenerContainer.start();
            // The poison comes first: its copy is refused at once (the broker blocks the connection it would go
            // out on), it is handed back; the good ones behind it are acknowledged while the alarm lasts.
            long deadline = System.currentTimeMillis() + 30_000;
            while (counter("duplicate") - duplicatesBefore < GOOD && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(counter("duplicate") - duplicatesBefore)
                    .as("good messages acknowledged during the alarm")
                    .isEqualTo(GOOD);
            assertThat(record(poison))
                    .as("the poison is not recorded dead while its copy is unconfirmed")
                    .isZero();
        } finally {
            broker.memoryAlarm(false);
        }

        // Once the alarm clears its copy lands (a copy whose confirm timed out may land as well: twice, never none).
        Message dead = awaitDeadLetter(poison);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .endsWith("malformed: body is not JSON");
        await(() -> record(poison) == 2);
    }

    private void publish(String messageId, String body) {
        rabbit.send(
                EXCHANGE,
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
            Message message = rabbit.receive(DEAD, 500);
            if (message != null
                    && messageId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        throw new AssertionError("no dead letter " + messageId + " within 20 s");
    }

    private double counter(String outcome) {
        return meters.get("gbm.mq.refund.consumed")
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
