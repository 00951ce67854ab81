package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A stop while the broker answers no {@code basic.cancel} (the embedded Qpid once took the frame and never answered:
 * its decoder had died; heartbeats went on, so the connection stayed up). Each listener consumer's cancel then waited
 * the channel RPC timeout (5 s), one consumer after another on the shutdown hook's thread: 16 close-check consumers
 * held the stop 80 s, and an orchestrator's SIGKILL came first. The containers now stop without cancelling: each
 * consumer finishes the message in hand and closes its channel, which ends its subscription and gives every unacked
 * delivery back to the queue.
 */
// The time the stop takes is what it proves.
@RunsAlone
@IntegrationTest
class UnansweredCancelShutdownIT {

    private static final int CONSUMERS = 4;

    /** Under two cancels waited one after the other (2 x 5 s; main took 4 x 5 s), over a stop that sends none (~1 s). */
    private static final Duration BOUND = Duration.ofSeconds(8);

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_stopcancel_");

    @AfterAll
    static void deleteQueues() {
        QUEUES.delete();
    }

    @Autowired
    Environment environment;

    @Test
    void theServiceStopsInBoundedTimeWhileTheBrokerAnswersNoCancel() throws Exception {
        TcpProxy proxy = TcpProxy.toAmqp(5672);
        try (SecondInstance instance = SecondInstance.like(
                environment,
                QUEUES.settings("spring.rabbitmq.port=" + proxy.port(), "gbm.close-check.concurrency=" + CONSUMERS))) {
            await(() -> consumersOn(QUEUES.queue()) == CONSUMERS);
            assertThat(instance.bean(SimpleMessageListenerContainer.class).getActiveConsumerCount())
                    .isEqualTo(CONSUMERS);

            proxy.withholdCancels();
            long start = System.nanoTime();
            instance.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took)
                    .as("the service's stop while the broker answers no basic.cancel")
                    .isLessThan(BOUND);
            // Nothing stays subscribed: each consumer's channel closed, so what it held unacked is the queue's again.
            assertThat(consumersOn(QUEUES.queue())).isZero();
        } finally {
            proxy.cut();
        }
    }

    /** The queue's consumers, as the broker counts them (asked directly, not through the proxy). */
    private static int consumersOn(String queue) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            return new RabbitTemplate(factory)
                    .execute(channel -> channel.queueDeclarePassive(queue))
                    .getConsumerCount();
        } finally {
            factory.destroy();
        }
    }
}
