package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateRabbit;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker's {@code consumer_timeout} shorter than a delivery our refund consumer holds unacknowledged, staged on a
 * node of this class's own ({@link PrivateRabbit}: {@code consumer_timeout = 2000}, its channels' tick every 500 ms so
 * the broker looks in time — 3.10's default tick is a minute). The handler is held by the database: the test's own
 * transaction holds the message's consumption record, so the attempt waits on that row lock past the timeout. The node
 * also sends heartbeats every 2 s ({@code heartbeat = 2}, below our 10 s request: the lesser applies) and takes frames
 * of 4,096 bytes at most ({@code frame_max = 4096}, the least AMQP allows).
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class RefundConsumerTimeoutIT {

    private static final String EXCHANGE = "gbm_t_ctimeout_exchange";
    private static final String QUEUE = "gbm_t_ctimeout_refund";
    private static final String ROUTING_KEY = "gbm.refund_event";

    private static PrivateRabbit rabbit;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        rabbit = PrivateRabbit.start(
                "consumer_timeout = 2000\nheartbeat = 2\nframe_max = 4096\n",
                "[{rabbit, [{channel_tick_interval, 500}]}].\n");
        registry.add("spring.rabbitmq.port", rabbit::port);
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.internal-exchange", () -> EXCHANGE);
        registry.add("gbm.mq.refund-consumer.queue", () -> QUEUE);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> QUEUE + ".dead");
        registry.add("gbm.mq.refund-consumer.retry-delay", () -> "50ms");
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        rabbit.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamCounts counts;

    @Autowired
    RabbitTemplate rabbitTemplate;

    @Autowired
    IRefundRepository refunds;

    @Autowired
    NotifyRoutes routes;

    @Autowired
    MeterRegistry meters;

    /**
     * The delivery held ~6 s by the database (three of the node's 2 s heartbeats, three consumer timeouts): the broker
     * closes the consumer's channel ({@code PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out}),
     * the attempt goes on and commits, its acknowledgement fails on the closed channel, and the container opens a new
     * channel: the refund comes again and is acknowledged as a duplicate (one place back, one attempt), the refund
     * prefetched behind it (back in the queue with the channel) is handled on the new channel, and the connection
     * itself stayed up (no missed heartbeat while the handler's thread was blocked).
     */
    @Test
    void aRefundHeldPastTheBrokersConsumerTimeoutIsHandledOnceAndTheConsumerComesBack(CapturedOutput output)
            throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9741, partner.url());
            String held = mall.team("t1", "t2");
            String behind = mall.team("t3", "t4");
            Map.Entry<String, JsonNode> slow = refundWithoutRelease("t2");
            Map.Entry<String, JsonNode> next = refundWithoutRelease("t4");
            double done = counter("done");
            double duplicates = counter("duplicate");
            try (RowLockHolder lock = RowLockHolder.open(dataSource, jdbc)) {
                lock.insert(
                        "INSERT INTO mq_consumption_record (consumer, message_id, status, attempts, version) "
                                + "VALUES (?, ?, 0, 0, 0)",
                        RefundPlaceReturnService.CONSUMER,
                        slow.getKey());
                publish(slow);
                publish(next);
                lock.awaitWaiter();
                long blocked = System.currentTimeMillis();
                await(() -> output.getAll().contains("PRECONDITION_FAILED - delivery acknowledgement on channel"));
                // The staging itself, not a wait for an outcome: the handler's thread stays blocked 6 s in all.
                Thread.sleep(Math.max(0, blocked + 6_000 - System.currentTimeMillis()));
            }
            await(() -> counter("done") - done == 2 && counter("duplicate") - duplicates == 1);

            assertThat(counts.redisPlaces(held)).isEqualTo(1).isEqualTo(counts.lockCount(held));
            assertThat(counts.redisPlaces(behind)).isEqualTo(1).isEqualTo(counts.lockCount(behind));
            assertThat(record(slow.getKey())).containsEntry("status", 1).containsEntry("attempts", 1);
            assertThat(record(next.getKey())).containsEntry("status", 1).containsEntry("attempts", 1);
            assertThat(output.getAll()).doesNotContain("Missed heartbeats").doesNotContain("connection error");
        }
    }

    private Map.Entry<String, JsonNode> refundWithoutRelease(String userId) throws Exception {
        MemberOrderView order = refunds.queryOrder(new PartnerOrderKey("s01", "c01", userId, "out-" + userId));
        List<Long> taskIds = refunds.refund(
                MemberRefund.of(order, RefundType.of(order.getOrderStatus(), order.getTeamStatus()), routes));
        Map<String, Object> row = jdbc.queryForMap("SELECT webhook_id, parameter_json FROM notify_task WHERE id IN ("
                + taskIds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                + ") AND notify_type = 'MQ'");
        return Map.entry(
                row.get("webhook_id").toString(),
                JSON.readTree(row.get("parameter_json").toString()));
    }

    private void publish(Map.Entry<String, JsonNode> task) throws Exception {
        rabbitTemplate.send(
                EXCHANGE,
                ROUTING_KEY,
                MessageBuilder.withBody(JSON.writeValueAsBytes(task.getValue()))
                        .setMessageId(task.getKey())
                        .setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    private Map<String, Object> record(String messageId) {
        return jdbc.queryForMap(
                "SELECT status, attempts, last_error FROM mq_consumption_record WHERE message_id = ?", messageId);
    }

    private double handled() {
        return meters.find("gbm.mq.refund.consumed").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double counter(String outcome) {
        return meters.get("gbm.mq.refund.consumed")
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
