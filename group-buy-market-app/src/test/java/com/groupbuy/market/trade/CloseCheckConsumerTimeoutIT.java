package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateRabbitNode;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
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
 * The broker's {@code consumer_timeout} shorter than a close check our consumers hold, staged on a node of this class's
 * own ({@link PrivateRabbitNode}: {@code consumer_timeout = 2000}, the channels' tick every 500 ms — 3.10's default
 * tick is a minute). The close is held by the database: the test's own transaction holds the order's row, so the close
 * waits on that lock past the timeout, several times over (each wait bounded by the 10 s statement bound).
 * <p>
 * Each timeout closes the consumer's channel, and the broker redelivers the check to another of our 16 consumers while
 * the first attempt still waits. Its consumption record, processing, cannot tell a live attempt from one whose process
 * died: on main each redelivery started an attempt of its own, and the fourth delivery, 8 s in, found the check out of
 * attempts and dead-lettered it ({@code status 2, "out of attempts; last error: null"}, a copy on the {@code .dead}
 * queue) — while the first attempt, once the lock was gone, closed the order. Now a redelivery of a message an attempt
 * of this instance is still running for is handed back without an attempt.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=3s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.retry-delay=50ms",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckConsumerTimeoutIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_ctimeout_close_");

    @RegisterExtension
    static final PrivateRabbitNode node =
            new PrivateRabbitNode("consumer_timeout = 2000\n", "[{rabbit, [{channel_tick_interval, 500}]}].\n");

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
        QUEUES.register(registry);
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
    MeterRegistry meters;

    @Test
    void aCloseHeldPastTheBrokersConsumerTimeoutIsNotDeadLetteredByItsOwnRedeliveries(CapturedOutput output)
            throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9742, partner.url());
            String teamId = mall.team("k1");
            try (RowLockHolder lock = RowLockHolder.open(dataSource, jdbc)) {
                lock.lock("SELECT id FROM group_buy_order_list WHERE user_id = ? FOR UPDATE", "k1");
                lock.awaitWaiter();
                long blocked = System.currentTimeMillis();
                await(() -> output.getAll().contains("PRECONDITION_FAILED - delivery acknowledgement on channel"));
                // The staging itself: the close stays blocked 8 s in all (the statement bound is 10 s), three of the
                // broker's consumer timeouts and more.
                Thread.sleep(Math.max(0, blocked + 8_000 - System.currentTimeMillis()));
            }
            await(() -> counts.orderStatus("k1") == 2);
            String checkId = jdbc.queryForObject(
                    "SELECT t.webhook_id FROM notify_task t JOIN group_buy_order_list l ON t.task_key = "
                            + "CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id) WHERE l.user_id = ?",
                    String.class,
                    "k1");
            await(() -> recordStatus(checkId) != 0);
            assertThat(record(checkId))
                    .as("closed by its first attempt, its redeliveries meanwhile handed back without one")
                    .containsEntry("status", 1)
                    .containsEntry("attempts", 1);
            assertThat(new RabbitAdmin(rabbitTemplate.getConnectionFactory())
                            .getQueueInfo(QUEUES.deadLetter())
                            .getMessageCount())
                    .as("dead letters")
                    .isZero();
            assertThat(counts.lockCount(teamId)).isZero();
        }
    }

    private int recordStatus(String messageId) {
        Map<String, Object> row = record(messageId);
        return row.isEmpty() ? 0 : ((Number) row.get("status")).intValue();
    }

    private Map<String, Object> record(String messageId) {
        return jdbc
                .queryForList(
                        "SELECT status, attempts, last_error FROM mq_consumption_record WHERE consumer = ? "
                                + "AND message_id LIKE CONCAT(?, '%')",
                        CloseCheckService.CONSUMER, messageId)
                .stream()
                .findFirst()
                .orElse(Map.of());
    }
}
