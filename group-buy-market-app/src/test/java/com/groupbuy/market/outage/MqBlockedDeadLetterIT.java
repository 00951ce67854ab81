package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.notify.MqTaskFixture;
import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A poison message's dead-letter copy while the broker already blocks our publisher connection (an earlier publish
 * of the alarm — a callback — blocked it): the copy must be refused at once and handed back, not wait on the blocked
 * connection (a channel's open waits there for the channel RPC timeout, 10 minutes) with the consumer thread and the
 * good messages behind it. Against a RabbitMQ node of the alarm tests' own, whose memory alarm it raises.
 */
@IntegrationTest
@Import(PoisonedRefundQueue.class)
class MqBlockedDeadLetterIT {

    private static final String EXCHANGE = "gbm_t_blocked_exchange";
    private static final String QUEUE = "gbm_t_blocked_refund";

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        PoisonedRefundQueue.register(registry, EXCHANGE, QUEUE);
        registry.add("gbm.mq.confirm-timeout", () -> "2s");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    PoisonedRefundQueue queue;

    @Test
    void aPoisonMessageWhileTheBrokerBlocksOurPublisherConnectionDoesNotStopTheGoodMessagesBehindIt() throws Exception {
        String poison = queue.fill();
        double duplicatesBefore = queue.duplicates();

        broker.raiseAlarm();
        try {
            // A callback due during the alarm: its publish makes the broker block the publisher connection (its
            // confirm never comes, the run ends after the 2 s confirm timeout).
            new MqTaskFixture(jdbc, "msg_blkdl")
                    .due(UUID.randomUUID().toString().substring(0, 8), 1);
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                NotifyRunSummary run =
                        runner.submit(notifyService::deliverAllDue).get(20, TimeUnit.SECONDS);
                assertThat(run.delivered()).isZero();
            } finally {
                runner.shutdownNow();
            }
            Thread.sleep(500);
            queue.startConsumer();
            // The poison comes first: its copy is refused at once (the broker blocks the connection it would go
            // out on), it is handed back; the good ones behind it are acknowledged while the alarm lasts.
            queue.assertGoodAcknowledgedAndPoisonNotDead(poison, duplicatesBefore);
        } finally {
            broker.clearAlarm();
        }

        // Once the alarm clears its copy lands.
        queue.assertDeadLettered(poison);
    }
}
