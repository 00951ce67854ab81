package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The broker is every MQ partner's one endpoint behind one circuit breaker. A message it returns because no queue is
 * bound to its key (a mall of the original platform that bound only {@code topic.team_success} gets its refunds
 * returned) is that task's failed attempt, not a failure of the broker: on the real RabbitMQ, on an exchange of this
 * class's own, such returns must not open the breaker and hold back another partner's team-success callback.
 */
@IntegrationTest
// The production breaker (the test profile raises its minimum calls out of reach).
@TestPropertySource(
        properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.notify.guard.minimum-calls=10"})
class MqUnboundKeyBreakerIT {

    private static final String EXCHANGE =
            "gbm_t_unbound_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final int RETURNED = 12;
    /** Refused publishes: a majority of the breaker's window whatever the other test left in it. */
    private static final int REFUSED = 40;

    @DynamicPropertySource
    static void exchange(DynamicPropertyRegistry registry) {
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.exchange", () -> EXCHANGE);
    }

    @AfterAll
    static void deleteExchange() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        try (Connection connection = factory.newConnection("unbound-key-cleanup");
                Channel channel = connection.createChannel()) {
            channel.exchangeDelete(EXCHANGE);
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void refundsReturnedForAnUnboundKeyDoNotHoldBackAnotherPartnersTeamSuccess() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        try (MallQueue mall = new MallQueue(5672, EXCHANGE, "topic.team_success")) {
            // Partner s02's refunds: nobody bound topic.team_refund, so the broker returns each one.
            insertRefunds(batch + "r", RETURNED);
            NotifyRunSummary refunds = notifyService.deliverAllDue();
            assertThat(refunds.delivered()).isZero();
            assertThat(refunds.retried()).isEqualTo(RETURNED);
            assertThat(jdbc.queryForList("SELECT last_error FROM notify_task WHERE source = 's02'", String.class))
                    .allMatch(e -> e.startsWith("AMQP returned 312 NO_ROUTE"));

            // Partner s01's completed team, bound and well, right after.
            assertATeamSuccessIsDelivered(batch + "s", mall);
        }
    }

    /**
     * A partner whose queue refuses publishes (its consumer is down and the queue, at its {@code x-max-length} with
     * {@code x-overflow: reject-publish}, is full; here a length of 0) makes the broker nack each of its messages. The
     * broker answered at once and is well: on main each nack counted as a failure of the broker, the breaker every MQ
     * partner shares opened, and another partner's team-success callback waited "not sent: circuit open".
     */
    @Test
    void publishesAPartnersFullQueueRefusesDoNotHoldBackAnotherPartnersTeamSuccess() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        String full = "test_full_" + batch;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        try (Connection connection = factory.newConnection("full-queue-test");
                Channel channel = connection.createChannel();
                MallQueue mall = new MallQueue(5672, EXCHANGE, "topic.team_success")) {
            // Exclusive: gone with this connection (auto-delete alone kept it, as no consumer ever came and went).
            channel.queueDeclare(full, false, true, true, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
            channel.queueBind(full, EXCHANGE, "topic.team_refund");
            insertRefunds(batch + "f", REFUSED);
            NotifyRunSummary refunds = notifyService.deliverAllDue();
            assertThat(refunds.delivered()).isZero();
            assertThat(refunds.retried()).isEqualTo(REFUSED);
            assertThat(jdbc.queryForList(
                            "SELECT last_error FROM notify_task WHERE source = 's02' "
                                    + "AND last_error LIKE 'AMQP nack: the broker refused%'",
                            String.class))
                    .hasSize(REFUSED);

            assertATeamSuccessIsDelivered(batch + "g", mall);
        }
    }

    /** Partner s02's refunds with {@code topic.team_refund}, due now. */
    private void insertRefunds(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String teamId = String.format("%08x", (prefix + i).hashCode());
            insert(
                    teamId,
                    teamId + ":trade_paid2refund:o" + i,
                    "s02",
                    "trade_paid2refund",
                    "topic.team_refund",
                    "{\"type\":\"paid_unformed\",\"userId\":\"u" + i + "\",\"teamId\":\"" + teamId
                            + "\",\"activityId\":1,\"orderId\":\"o" + i + "\",\"outTradeNo\":\"n" + i + "\"}");
        }
    }

    /** Partner s01's completed team is published, confirmed and received by its mall in the next run. */
    private void assertATeamSuccessIsDelivered(String seed, MallQueue mall) throws Exception {
        String teamId = String.format("%08x", seed.hashCode());
        insert(
                teamId,
                teamId + ":trade_settlement",
                "s01",
                "trade_settlement",
                "topic.team_success",
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"n1\"]}");
        NotifyRunSummary success = notifyService.deliverAllDue();

        assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, teamId))
                .as("s01's callback")
                .isNull();
        assertThat(success.delivered()).isEqualTo(1);
        await(() -> mall.forTeam(teamId).size() == 1);
    }

    private void insert(String teamId, String taskKey, String source, String category, String key, String body) {
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, ?, 'c01', ?, 'MQ', ?, 0, 0, ?, ?)",
                taskKey,
                "msg_unb" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                teamId,
                source,
                category,
                key,
                body,
                Timestamp.from(Instant.now().minusSeconds(1)));
    }
}
