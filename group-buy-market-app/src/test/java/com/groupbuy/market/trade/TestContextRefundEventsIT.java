package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.MqProperties;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TradeClient;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A test context (the test profile: the refund consumer off, the MQ channel on) publishes its refund events to an
 * internal exchange of its own, named after its database (and deleted with it), where nobody binds: each event is
 * returned, a retry, as on a broker where no refund queue was ever declared. On main every test context published to
 * the default internal exchange, and a queue a dev-profile run (docs/bench/run.sh: its refund consumer on, the
 * default names) had bound there kept every class's refund events, unread, on the shared broker (~600 a suite run);
 * an IT consuming that queue read other classes' events first. Here a queue of this class's own stands in for that
 * queue, bound to the default internal exchange with {@code gbm.refund_event}; it must receive nothing of this class.
 * Alone: beside other classes it would make their refund events routable, were any still published there.
 */
@RunsAlone
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class TestContextRefundEventsIT {

    private static final String DEFAULT_INTERNAL_EXCHANGE = new MqProperties().getInternalExchange();
    private static final String LEFT_QUEUE =
            "gbm_t_leftrefunds_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** Whether this class declared the default internal exchange (then it deletes it after). */
    private static boolean declaredExchange;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MqProperties mq;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Value("${gbm.test.database}")
    String database;

    @BeforeAll
    static void aRefundQueueLeftBoundToTheDefaultInternalExchange() throws Exception {
        try (Connection connection = broker()) {
            declaredExchange = !exists(connection, DEFAULT_INTERNAL_EXCHANGE);
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(DEFAULT_INTERNAL_EXCHANGE, "direct", true);
            channel.queueDeclare(LEFT_QUEUE, false, false, false, null);
            channel.queueBind(LEFT_QUEUE, DEFAULT_INTERNAL_EXCHANGE, NotifyRoutes.REFUND_EVENT_KEY);
        }
    }

    @AfterAll
    static void dropBrokerObjects() throws Exception {
        try (Connection connection = broker()) {
            Channel channel = connection.createChannel();
            channel.queueDelete(LEFT_QUEUE);
            if (declaredExchange) {
                channel.exchangeDelete(DEFAULT_INTERNAL_EXCHANGE);
            }
        }
    }

    @Test
    void aRefundEventGoesToTheContextsOwnExchangeNotToAQueueBoundToTheDefaultOne() throws Exception {
        TradeClient shop = TradeClient.onNewGoods(port, jdbc, 17_001, "http://127.0.0.1:9/unused");
        String teamId = shop.team("e1", "e2");
        assertThat(shop.refund("e2").path("data").path("code").asText()).isEqualTo("success");
        long event = jdbc.queryForObject(
                "SELECT id FROM notify_task WHERE team_id = ? AND task_key LIKE '%:mq'", Long.class, teamId);

        notifyService.deliverAllDue();

        await(() -> status(event) != 0);
        assertThat(leftQueueMessagesNaming(teamId))
                .as("the queue bound to the default internal exchange got this class's refund event")
                .isEmpty();
        assertThat(status(event))
                .as("returned (a retry): nobody binds the context's own exchange")
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT error FROM notify_attempt WHERE task_id = ?", String.class, event))
                .contains("312 NO_ROUTE")
                .contains(mq.getInternalExchange());
        assertThat(mq.getInternalExchange()).isEqualTo("group_buy_market_internal_exchange." + database);
    }

    private int status(long taskId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE id = ?", Integer.class, taskId);
    }

    /** What the left queue holds that names the team (taken: the queue is this class's own). */
    private static List<String> leftQueueMessagesNaming(String teamId) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection connection = broker()) {
            Channel channel = connection.createChannel();
            for (GetResponse got = channel.basicGet(LEFT_QUEUE, true);
                    got != null;
                    got = channel.basicGet(LEFT_QUEUE, true)) {
                String body = new String(got.getBody(), StandardCharsets.UTF_8);
                if (body.contains(teamId)) {
                    found.add(body);
                }
            }
        }
        return found;
    }

    private static boolean exists(Connection connection, String exchange) throws IOException {
        Channel passive = connection.createChannel();
        try {
            passive.exchangeDeclarePassive(exchange);
            return true;
        } catch (IOException notFound) {
            return false; // the 404 closed the channel
        }
    }

    private static Connection broker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        return factory.newConnection("gbmtest-leftrefunds");
    }
}
