package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.PrivateRabbitNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A page whose bundle the broker refused for its size (it closes the page's channel) is published again at once, split
 * to fit, on another channel of the cache: every check of it delivered, round after round. Seen once in CI
 * (2026-12-07, CloseCheckBundleSizeIT): the last checks of the page published again failed with "AMQP publish failed:
 * NullPointerException: null". The page had given its channel back with the refused bundle's confirm on its way;
 * Spring AMQP waited for it on the channel's proxy on a thread of its own, and when the broker's close broke that wait
 * it opened a new channel on the proxy, and closed it a moment later — while the proxy, its confirm answered (failed
 * by the close), was back in the cache, and the page published again had taken it: every publish after that close
 * found the proxy with no channel ({@code RabbitTemplate.addListener} puts the proxy's channel, null, into a
 * ConcurrentHashMap). On a RabbitMQ node of this class's own with a {@code max_message_size} of 4,096 bytes, through
 * Spring's caching connection factory and template as the service publishes; the limit forgotten before each round,
 * so each page's one bundle of 40 checks is refused. Before, on an idle host, 3% of the rounds lost the last part of
 * their page published again (4 checks each, "NullPointerException: null"): 10 of 300, 30 of 1,000; a race, so
 * fewer or none on a host loaded otherwise (none of 300 beside {@code stress --cpu 2}).
 */
class CloseCheckRefusedRepublishIT {

    private static final int LIMIT = 4_096;
    private static final int CHECKS = 40;
    private static final int ROUNDS = 300;
    private static final Duration NOMINAL = Duration.ofMinutes(16);

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = " + LIMIT);

    @Test
    void aPageRefusedForItsSizeIsDeliveredWholeOnceSplit_roundAfterRound() {
        CachingConnectionFactory connections = node.rabbit().publisherConnections();
        RabbitTemplate template = new RabbitTemplate(connections);
        template.setMandatory(true);
        CloseCheckTopology topology = new CloseCheckTopology(
                template,
                "gbmtest.republish.close",
                "gbmtest.republish.dead",
                "gbmtest.republish.delay.",
                CloseCheckTopology.Flavour.RABBITMQ);
        connections.addConnectionListener(topology);
        CloseCheckPublisher publisher = new CloseCheckPublisher(
                template, topology, Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(1), 64);
        AtomicLong known = new AtomicLong(-1);
        publisher.setMessageSizeLimit(known::get, limit -> known.getAndSet(limit) != limit);
        Map<String, Integer> failures = new TreeMap<>();
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                known.set(-1);
                for (DeliveryResult result :
                        publisher.deliverAll(CloseCheckRecords.teamChecks("r" + round + "-", CHECKS, NOMINAL))) {
                    if (!result.delivered()) {
                        failures.merge(result.error(), 1, Integer::sum);
                    }
                }
                refused += known.get() == LIMIT ? 1 : 0;
            }
        } finally {
            connections.destroy();
        }
        assertThat(refused).as("rounds whose bundle the broker refused").isEqualTo(ROUNDS);
        assertThat(failures)
                .as("checks not delivered in %d rounds of %d checks, by error", ROUNDS, CHECKS)
                .isEmpty();
    }
}
