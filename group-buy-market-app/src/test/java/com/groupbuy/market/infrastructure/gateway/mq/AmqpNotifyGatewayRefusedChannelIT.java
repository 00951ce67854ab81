package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PrivateRabbitNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Batches of callbacks, one lane's each holding a callback the broker refuses for its size (it closes that partner's
 * channel), other lanes' publishing meanwhile as the notify run's lanes do: every callback but the refused one and
 * those its channel's close took is delivered, batch after batch. The gateway published each partner's group inside an
 * invoke of its own and awaited every confirm after the batch's last group, so the refused group's channel went back
 * to the cache with its confirms on their way; Spring AMQP (3.2) waited for them on the channel's proxy on a thread of
 * its own and, when the broker's close broke that wait, emptied the proxy, opened a new channel on it and closed it a
 * moment later, the proxy back in the cache meanwhile (as CloseCheckRefusedRepublishIT's page). A later group or
 * batch, of any lane, that took it failed (a try used for no fault of its partner's, and the rest of its batch not
 * published): "AMQP publish failed: NullPointerException: null", "AmqpException: PublisherCallbackChannel is closed",
 * or the next batch's declare refused ("channel.close: 200 OK"). Before, each of five runs failed: 1,000 batches of the
 * refused lane met it 1 to 6 times. On a RabbitMQ node of this class's own with a
 * {@code max_message_size} of 4,096 bytes, through Spring's caching connection factory and a template as the service
 * publishes; the limit forgotten at once (a declare retry of zero), so every batch's big callback is published.
 */
class AmqpNotifyGatewayRefusedChannelIT {

    private static final int LIMIT = 4_096;
    private static final int ROUNDS = 1000;
    private static final String KEY = "topic.team_success";
    private static final String SHARED = "gbmtest.refused.shared";
    private static final String INTERNAL = "gbmtest.refused.internal";
    /** Isolated partners s01..s03 (channel c01), each on an exchange and a channel of its own. */
    private static final int ISOLATED = 3;
    /** Small callbacks per partner and batch. */
    private static final int SMALL = 3;

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = " + LIMIT);

    @Test
    void theCallbacksAfterOneRefusedForItsSizeAreDeliveredWhole_batchAfterBatch() throws Exception {
        CachingConnectionFactory connections = node.rabbit().publisherConnections();
        RabbitTemplate template = new RabbitTemplate(connections);
        template.setMandatory(true);
        Map<String, Map<String, String>> isolated = new TreeMap<>();
        for (int p = 1; p <= ISOLATED; p++) {
            isolated.put(source(p), Map.of("c01", "gbmtest.refused." + source(p)));
        }
        // A declare retry of zero: the broker's limit forgotten at once, each batch's big callback published.
        MqExchangeGuard guard = new MqExchangeGuard(template, SHARED, INTERNAL, isolated, Duration.ZERO);
        connections.addConnectionListener(guard);
        AmqpNotifyGateway gateway = new AmqpNotifyGateway(
                template, guard, (source, channel) -> null, Clock.systemUTC(), Duration.ofSeconds(5));
        List<MallQueue> malls = new ArrayList<>();
        Map<String, Integer> failures = new ConcurrentSkipListMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try {
            malls.add(new MallQueue(node.rabbit().port(), SHARED, KEY));
            for (Map<String, String> byChannel : isolated.values()) {
                malls.add(new MallQueue(node.rabbit().port(), byChannel.get("c01"), KEY));
            }
            List<Thread> lanes = new ArrayList<>();
            // The lane whose batches hold s01's big callback, then the shared exchange's.
            lanes.add(new Thread(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        deliver(gateway, batch("a" + round, List.of(1, 0)), refused, failures);
                    }
                } finally {
                    done.set(true);
                }
            }));
            // Other lanes, as the notify run's (gbm.notify.run-lanes), each its own partners' batches meanwhile.
            for (int lane = 2; lane <= ISOLATED; lane++) {
                int p = lane;
                lanes.add(new Thread(() -> {
                    for (int round = 0; !done.get(); round++) {
                        deliver(gateway, batch("l" + p + "r" + round, List.of(p, 0)), refused, failures);
                    }
                }));
            }
            lanes.forEach(Thread::start);
            for (Thread lane : lanes) {
                lane.join(60_000);
                assertThat(lane.isAlive())
                        .as("a lane still publishing after a minute")
                        .isFalse();
            }
        } finally {
            done.set(true);
            for (MallQueue mall : malls) {
                mall.close();
            }
            connections.destroy();
        }
        assertThat(failures)
                .as("callbacks not delivered (but those the refusal's close took), by error")
                .isEmpty();
        assertThat(refused.get())
                .as("batches whose big callback the broker refused")
                .isEqualTo(ROUNDS);
    }

    /**
     * Delivers the batch: counts its big callback refused for its size, and every other callback not delivered by its
     * error, but s01's small ones the refusal's close took (not sent: they wait).
     */
    private static void deliver(
            AmqpNotifyGateway gateway, List<NotifyTaskVO> batch, AtomicInteger refused, Map<String, Integer> failures) {
        List<DeliveryResult> results = gateway.deliverAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            DeliveryResult result = results.get(i);
            NotifyTaskVO task = batch.get(i);
            if (task.getTeamId().endsWith("big")) {
                if (!result.delivered() && result.error().contains("max_message_size")) {
                    refused.incrementAndGet();
                } else {
                    failures.merge("big: " + result.error(), 1, Integer::sum);
                }
            } else if (!result.delivered() && !(task.getSource().equals(source(1)) && result.notAttempted())) {
                failures.merge(result.error(), 1, Integer::sum);
            }
        }
    }

    /**
     * The small callbacks of each partner in turn, s01's big one (over the broker's limit: the broker closes s01's
     * channel refusing it) first of its own; s00 is the shared exchange's, the others isolated, each group of the
     * batch on a channel of its own.
     */
    private static List<NotifyTaskVO> batch(String name, List<Integer> partners) {
        List<NotifyTaskVO> batch = new ArrayList<>();
        for (int p : partners) {
            if (p == 1) {
                batch.add(task(name + "p1big", 1, LIMIT + 1_000));
            }
            for (int i = 0; i < SMALL; i++) {
                batch.add(task(name + "p" + p + "i" + i, p, 0));
            }
        }
        return batch;
    }

    /** A callback of partner {@code p} with a body of about {@code padding} bytes more than a small one's. */
    private static NotifyTaskVO task(String teamId, int p, int padding) {
        return NotifyTaskVO.builder()
                .webhookId("gbm-refused-" + teamId)
                .teamId(teamId)
                .source(source(p))
                .channel("c01")
                .notifyType("MQ")
                .notifyMq(KEY)
                .body("{\"teamId\":\"" + teamId + "\",\"pad\":\"" + "x".repeat(padding) + "\"}")
                .build();
    }

    private static String source(int p) {
        return String.format("s%02d", p);
    }
}
