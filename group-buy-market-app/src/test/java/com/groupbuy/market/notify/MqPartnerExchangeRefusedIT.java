package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.PartnerExchanges;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * One isolated partner's exchange the broker refuses (real RabbitMQ, MariaDB, Redis): before the service starts, an
 * exchange of partner {@code s03:c03}'s name exists as a durable <em>direct</em> exchange, so our declare of it as a
 * durable topic exchange is refused (406 PRECONDITION_FAILED), as it is when a partner or an operator made it wrong
 * or our broker user may not configure it. That partner's own MQ callbacks wait, not sent and no try used; the MQ
 * channel stays up, and the partners on the shared exchange ({@code s01:c01}, {@code s02:c02}) keep receiving their
 * completions. Once the exchange is deleted, the service declares it again and the waiting completion goes out, once.
 * Before, the refusal took the whole declare down: the health DOWN and no partner's completion published. The class
 * stands in its own shared, internal and partner exchanges (random names), deleted after it.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.declare-retry=1s"})
class MqPartnerExchangeRefusedIT {

    @RegisterExtension
    static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(Map.of("s03:c03", "gbm_t_broken_s03_"));

    private static final String SHARED = EXCHANGES.shared();
    private static final String BROKEN = EXCHANGES.of("s03:c03");
    private static final AtomicInteger ACTIVITY = new AtomicInteger(17100);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        // Runs before the context starts: the conflicting exchange is there for the start-up declare.
        MallQueues.onBroker(admin -> admin.declareExchange(new DirectExchange(BROKEN, true, false)));
        EXCHANGES.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RabbitProperties rabbit;

    @Test
    void aRefusedPartnerExchangeHoldsOnlyThatPartnersCallbacksUntilItIsFixed() throws Exception {
        try (MallQueue shared = new MallQueue(5672, SHARED, "topic.team_success")) {
            Health health = mqChannel.health();
            assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("refusedPartnerExchanges");
            @SuppressWarnings("unchecked")
            Map<String, String> refused =
                    (Map<String, String>) health.getDetails().get("refusedPartnerExchanges");
            assertThat(refused).containsOnlyKeys(BROKEN);
            assertThat(refused.get(BROKEN)).contains("s03:c03").contains("PRECONDITION_FAILED");
            assertThat(refusedGauge()).isEqualTo(1.0);

            String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String brokenTeam = paidTeam("s03", "c03", "r", run);
            String originalTeam = paidTeam("s01", "c01", "o", run);
            String otherTeam = paidTeam("s02", "c02", "p", run);
            notifyService.deliverAllDue();

            await(() -> shared.forTeam(originalTeam).size() == 1
                    && shared.forTeam(otherTeam).size() == 1);
            // Recorded after the broker's confirms, which may come after the mall has the message.
            await(() -> status(originalTeam) == 1 && status(otherTeam) == 1);
            notifyService.deliverAllDue();
            Map<String, Object> waiting = completion(brokenTeam);
            assertThat(((Number) waiting.get("notify_status")).intValue())
                    .as("owed, not delivered, not failed")
                    .isEqualTo(2);
            assertThat(((Number) waiting.get("notify_count")).intValue())
                    .as("no try used")
                    .isZero();
            assertThat((String) waiting.get("last_error")).contains("not sent").contains(BROKEN);
            assertThat(shared.forTeam(brokenTeam))
                    .as("never on the shared exchange")
                    .isEmpty();
            assertThat(refusedCount())
                    .as("its callback not sent, counted under the broker's endpoint (on main never counted)")
                    .isGreaterThanOrEqualTo(1);
            assertThat(meters.find("gbm.notify.not.sent")
                            .tag("reason", "exchange_refused")
                            .counters())
                    .extracting(c -> c.getId().getTag("endpoint"))
                    .containsExactly(brokerEndpoint());

            // The operator deletes the wrong exchange; the service declares it again (after gbm.mq.declare-retry).
            MallQueues.onBroker(admin -> admin.deleteExchange(BROKEN));
            await(() -> !mqChannel.health().getDetails().containsKey("refusedPartnerExchanges"));
            assertThat(refusedGauge()).isZero();
            try (MallQueue own = new MallQueue(5672, BROKEN, "topic.team_success")) {
                await(() -> {
                    notifyService.deliverAllDue();
                    return own.forTeam(brokenTeam).size() == 1;
                });
                Thread.sleep(500); // a second copy would have arrived by now
                notifyService.deliverAllDue();
                assertThat(own.forTeam(brokenTeam)).hasSize(1);
                await(() -> status(brokenTeam) == 1);
                assertThat(((Number) completion(brokenTeam).get("notify_count")).intValue())
                        .isEqualTo(1);
            }
            assertThat(shared.forTeam(brokenTeam)).isEmpty();
        }
    }

    /** {@code gbm.notify.not.sent{reason=exchange_refused}} of the broker's endpoint, 0 before it is registered. */
    private double refusedCount() {
        return meters
                .find("gbm.notify.not.sent")
                .tag("endpoint", brokerEndpoint())
                .tag("reason", "exchange_refused")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** The name the broker is guarded under, as the MQ channel's circuit breaker is ({@code mq:host:port}). */
    private String brokerEndpoint() {
        return "mq:" + rabbit.determineHost() + ":" + rabbit.determinePort();
    }

    private double refusedGauge() {
        return meters.get("gbm.mq.partner.exchanges.refused").gauge().value();
    }

    private Map<String, Object> completion(String teamId) {
        return jdbc.queryForMap(
                "SELECT notify_status, notify_count, last_error FROM notify_task WHERE team_id = ? AND notify_category"
                        + " = 'trade_settlement' AND notify_type = 'MQ'",
                teamId);
    }

    private int status(String teamId) {
        return ((Number) completion(teamId).get("notify_status")).intValue();
    }

    /** A fresh activity of the partner (teams of 3), three users locked into one team and settled; its team id. */
    private String paidTeam(String source, String channel, String prefix, String run) throws Exception {
        return MqPartner.onNewGoods(port, jdbc, source, channel, ACTIVITY.incrementAndGet())
                .paidTeam(prefix, run);
    }
}
