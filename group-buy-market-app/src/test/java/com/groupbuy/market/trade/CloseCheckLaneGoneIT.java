package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A delay lane deleted on the real RabbitMQ while the app's connection stays up (an operator's clean-up, a policy):
 * the next close check bound for it comes back unroutable, a failed attempt; the attempt after declares the lane
 * again, so the check goes out and closes its order at its deadline. Before, the lane stayed "declared" in the app's
 * memory for the life of the connection: every attempt came back, until the check reached FAIL a day later.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = {
            // Long enough that a lock's check is published twice (returned, then declared again) well before its
            // deadline, which the first test asserts: a check already due goes straight to the close-check queue.
            "gbm.timeout.unpaid-timeout=5s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.retry-delay=50ms",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckLaneGoneIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_lanegone_");
    private static final String LANE = QUEUES.lane("5s");
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9470);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    @AfterAll
    static void dropBrokerObjects() {
        QUEUES.delete(LANE, QUEUES.lane("960s"));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    private PartnerReceiver partner;
    private TradeClient mall;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), partner.url());
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void aCheckReturnedByADeletedLaneDeclaresItAgainOnTheNextAttemptAndClosesItsOrder() throws Exception {
        mall.team("lg1");
        String first = unpaidCheckId("lg1");
        await(() -> taskStatus(first) == 1);
        deleteQueue(LANE);

        mall.team("lg2");
        String second = unpaidCheckId("lg2");
        await(() -> taskStatus(second) == 2);
        Map<String, Object> returned = task(second);
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE webhook_id = ?",
                second);
        notifyService.deliverAllDue();

        assertThat((String) returned.get("last_error")).contains("returned");
        assertThat(task(second))
                .as("the second attempt goes out to the lane declared again")
                .containsEntry("notify_status", 1)
                .containsEntry("notify_count", 2);
        assertThat(queueExists(LANE))
                .as("declared again by that attempt (not published straight to the close-check queue, past due)")
                .isTrue();
        await(() -> orderStatus("lg2") == 2);
    }

    /**
     * The close-check queue itself deleted while the lanes stay: nothing comes back to the publisher (the lane takes the
     * check), and RabbitMQ drops a message it dead-letters to a queue that does not exist. Our consumer of that queue
     * is cancelled by the deletion; its failure now declares the close-check queues again, so a check expiring later
     * reaches it and closes its order. Before, nothing declared it until the connection was replaced: every check
     * expiring meanwhile was dropped and left to the polling job.
     */
    @Test
    void theCloseCheckQueueDeletedUnderItsConsumerIsDeclaredAgainAndLaterChecksStillClose() throws Exception {
        mall.team("cq1");
        String first = unpaidCheckId("cq1");
        await(() -> taskStatus(first) == 1);
        deleteQueue(QUEUES.queue());
        await(() -> queueExists(QUEUES.queue()));

        mall.team("cq2");

        await(() -> orderStatus("cq2") == 2);
    }

    private static void deleteQueue(String queue) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(factory).deleteQueue(queue);
        } finally {
            factory.destroy();
        }
    }

    private static boolean queueExists(String queue) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            return new RabbitAdmin(factory).getQueueProperties(queue) != null;
        } finally {
            factory.destroy();
        }
    }

    private String unpaidCheckId(String userId) {
        return jdbc.queryForObject(
                "SELECT t.webhook_id FROM notify_task t JOIN group_buy_order_list l "
                        + "ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id) WHERE l.user_id = ?",
                String.class,
                userId);
    }

    private int taskStatus(String webhookId) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE webhook_id = ?", Integer.class, webhookId);
    }

    private Map<String, Object> task(String webhookId) {
        return jdbc.queryForMap(
                "SELECT notify_status, notify_count, last_error FROM notify_task WHERE webhook_id = ?", webhookId);
    }

    private int orderStatus(String userId) {
        return jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, userId);
    }
}
