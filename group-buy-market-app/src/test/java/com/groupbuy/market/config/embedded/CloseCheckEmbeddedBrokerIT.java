package com.groupbuy.market.config.embedded;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.OldRefundBindingRemoval;
import com.groupbuy.market.config.RefundConsumerProperties;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The default profile's embedded broker (Qpid Broker-J, memory store, started exactly as the default profile starts
 * it) runs the same delay path as RabbitMQ (#15): a lock's close check expires in its delay lane, reaches the
 * close-check queue through the lane's alternate binding, and our consumer closes the unpaid lock at its deadline.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"gbm.timeout.unpaid-timeout=3s", "gbm.close-check.backstop-margin=1h"})
class CloseCheckEmbeddedBrokerIT {

    private static final EmbeddedBroker BROKER = EmbeddedBroker.start(
            Path.of("target", "qpid-close-check-" + UUID.randomUUID().toString().substring(0, 8))
                    .toAbsolutePath(),
            LogFactory.getLog(CloseCheckEmbeddedBrokerIT.class));

    @DynamicPropertySource
    static void embeddedBroker(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.port", BROKER::port);
        registry.add("spring.rabbitmq.virtual-host", () -> "default");
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.close-check.enabled", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    CloseCheckTopology topology;

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void anUnpaidLockIsClosedAtItsDeadlineThroughTheEmbeddedBrokersDelayLane() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9401, "http://127.0.0.1:9/callback");
        mall.team("q1");
        String body = jdbc.queryForObject(
                "SELECT parameter_json FROM notify_task " + "WHERE notify_category = 'internal_close_unpaid'",
                String.class);
        Instant deadline = Instant.ofEpochMilli(
                TestJson.JSON.readTree(body).path("closeAt").asLong());

        // The record is marked done right after the close commits: both are awaited (reading the record the moment
        // the order showed closed raced that write once on a loaded machine).
        await(() -> status("q1") == 2
                && jdbc.queryForObject(
                                "SELECT COUNT(*) FROM mq_consumption_record WHERE " + "consumer = ? AND status <> 0",
                                Integer.class,
                                CloseCheckService.CONSUMER)
                        > 0);

        Instant closedAt = jdbc.queryForObject(
                        "SELECT update_time FROM group_buy_order_list WHERE user_id = 'q1'", Timestamp.class)
                .toInstant();
        assertThat(closedAt).as("never before its deadline").isAfterOrEqualTo(deadline);
        List<Integer> records = jdbc.queryForList(
                "SELECT status FROM mq_consumption_record WHERE consumer = ?",
                Integer.class,
                CloseCheckService.CONSUMER);
        assertThat(records)
                .as("closed by the close-check consumer (the polling job does not run here)")
                .containsExactly(1);
    }

    /**
     * A poison check is copied to the dead-letter queue on this broker too: the copy is published mandatory on the
     * consumer's channel and acknowledged only after the broker's confirm, which Broker-J gives as RabbitMQ does.
     */
    @Test
    void aMalformedCheckIsCopiedToTheDeadLetterQueueWithItsConfirm() throws Exception {
        String messageId = "poison-" + UUID.randomUUID().toString().replace("-", "");
        rabbit.send(
                "",
                topology.closeQueue(),
                MessageBuilder.withBody("not json".getBytes(StandardCharsets.UTF_8))
                        .setMessageId(messageId)
                        .setContentType("application/json")
                        .build());

        try {
            Message dead = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while (dead == null && System.currentTimeMillis() < deadline) {
                Message message = rabbit.receive(topology.deadLetterQueue(), 500);
                if (message != null
                        && messageId.equals(message.getMessageProperties().getMessageId())) {
                    dead = message;
                }
            }
            assertThat(dead).as("the copy on " + topology.deadLetterQueue()).isNotNull();
            await(() -> Integer.valueOf(2)
                    .equals(jdbc.queryForObject(
                            "SELECT status FROM mq_consumption_record WHERE consumer = ? AND message_id = ?",
                            Integer.class,
                            CloseCheckService.CONSUMER,
                            messageId)));
        } finally {
            // The other test counts this consumer's records.
            jdbc.update("DELETE FROM mq_consumption_record WHERE message_id = ?", messageId);
        }
    }

    /**
     * The removal of the refund queue's old binding, which runs at every connection, on a broker where there is none:
     * Qpid answers the unbind with a 404 and closes the channel, which Spring logged as an ERROR at every start of the
     * README's run, with a WARN after it.
     */
    @Test
    void noOldRefundBindingToRemoveIsNoErrorOnThisBroker(CapturedOutput output) {
        RefundConsumerProperties old = new RefundConsumerProperties(); // the defaults, as earlier versions bound
        try (Connection connection = connectionFactory.createConnection()) {
            new OldRefundBindingRemoval(old.getQueue(), old.getExchange(), old.getRoutingKey()).onCreate(connection);
        }
        assertThat(output.getAll()).doesNotContain("No such binding").doesNotContain("could not remove");
    }

    private int status(String userId) {
        return jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, userId);
    }
}
