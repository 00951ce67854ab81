package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The exchange exists on the broker with another type (fanout) than the contract's durable topic: the broker refuses
 * our declare, the MQ channel reports DOWN with the reason, and tasks are not published into the wrong exchange but
 * wait as failed attempts.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class MqExchangeRefusedIT {

    private static final String EXCHANGE =
            "gbm_test_refused_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String QUEUE = EXCHANGE + "_q";

    @DynamicPropertySource
    static void wrongExchange(DynamicPropertyRegistry registry) throws Exception {
        // Declared by "someone else" before we start: same name, another type.
        try (Connection connection = connect();
                Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(EXCHANGE, "fanout", true);
            channel.queueDeclare(QUEUE, false, false, false, null);
            channel.queueBind(QUEUE, EXCHANGE, "");
        }
        registry.add("gbm.mq.exchange", () -> EXCHANGE);
    }

    @AfterAll
    static void removeExchange() throws Exception {
        try (Connection connection = connect();
                Channel channel = connection.createChannel()) {
            channel.queueDelete(QUEUE);
            channel.exchangeDelete(EXCHANGE);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void aRefusedDeclareShowsTheChannelDownAndNothingIsPublishedIntoTheWrongExchange() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode channel =
                TestJson.JSON.readTree(health.body()).path("components").path("mqChannel");
        assertThat(channel.path("status").asText()).isEqualTo("DOWN");
        assertThat(channel.path("details").path("state").asText()).isEqualTo("REFUSED");
        assertThat(channel.path("details").path("reason").asText())
                .contains(EXCHANGE)
                .contains("PRECONDITION_FAILED");

        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time) VALUES "
                        + "('77770001:trade_settlement', 'msg_refused1', 1, '77770001', 's01', 'c01', 'trade_settlement', 'MQ', "
                        + "'topic.team_success', 0, 0, '{\"teamId\":\"77770001\",\"outTradeNoList\":[\"o1\"]}', ?)",
                Timestamp.from(Instant.now().minusSeconds(1)));
        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.retried()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = '77770001'", String.class))
                .startsWith("not published: the broker refused to declare exchange " + EXCHANGE);
        try (Connection connection = connect();
                Channel ch = connection.createChannel()) {
            GetResponse message = ch.basicGet(QUEUE, true);
            assertThat(message)
                    .as("nothing reached the fanout exchange's queue")
                    .isNull();
        }
    }

    private static Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory.newConnection("exchange-refused-test");
    }
}
