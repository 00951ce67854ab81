package com.groupbuy.market.outage;

import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A broker resource alarm (memory or disk low) blocks every connection that publishes: the broker stops reading from
 * it, acknowledgements included. Our consumers' dead-letter copies must therefore not go out on the connection our
 * consumers acknowledge on: one poison message copied during an alarm would stop every consumer of that connection
 * (refunds and close checks alike) until the alarm clears, and the queues they drain are what relieves the broker.
 * Against a RabbitMQ node of the alarm tests' own, whose memory alarm it raises.
 */
@IntegrationTest
@Import(PoisonedRefundQueue.class)
class MqAlarmDeadLetterIT {

    private static final String EXCHANGE = "gbm_t_alarm_exchange";
    private static final String QUEUE = "gbm_t_alarm_refund";

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        PoisonedRefundQueue.register(registry, EXCHANGE, QUEUE);
    }

    @Autowired
    PoisonedRefundQueue queue;

    @Test
    void aPoisonMessageCopiedDuringAMemoryAlarmDoesNotStopTheGoodMessagesBehindIt() throws Exception {
        String poison = queue.fill();
        double duplicatesBefore = queue.duplicates();

        broker.raiseAlarm();
        try {
            queue.startConsumer();
            // The poison comes first: its copy waits for a confirm the blocked broker never sends (5 s), then it is
            // handed back and comes first again; between its deliveries the consumer acknowledges the rest of its
            // prefetch (9), so every good message behind it is acknowledged while the alarm lasts, in a few rounds.
            queue.assertGoodAcknowledgedAndPoisonNotDead(poison, duplicatesBefore);
        } finally {
            broker.clearAlarm();
        }

        // Once the alarm clears its copy lands.
        queue.assertDeadLettered(poison);
    }
}
