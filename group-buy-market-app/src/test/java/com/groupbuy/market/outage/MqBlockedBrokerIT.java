package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.notify.MqTaskFixture;
import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A broker resource alarm (memory or disk low) blocks every connection that publishes: the broker stops reading from
 * it, so every later RPC on it (a channel's open, an exchange declare) waits for the channel RPC timeout, 10 minutes.
 * MQ callbacks due during the alarm must fail as attempts at once and wait in the outbox, not hold the delivery
 * thread, the exchange guard every other MQ delivery and health check waits on, and the health endpoint. Against a
 * RabbitMQ node of the alarm tests' own, whose memory alarm it raises.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.confirm-timeout=2s"})
class MqBlockedBrokerIT {

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
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

    @Test
    void callbacksDueWhileTheBrokerBlocksUsFailAtOnceAndAreDeliveredWhenItLifts() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        MqTaskFixture tasks = new MqTaskFixture(jdbc, "msg_blk");
        try (MallQueue mall = new MallQueue(broker.port(), "topic.team_success");
                BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            List<String> warmUp = tasks.due(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            List<String> teams = new ArrayList<>();
            broker.raiseAlarm();
            try {
                // The first page publishes into the blocked connection (the broker tells us it blocks us only
                // then) and gets no confirm within the 2 s.
                List<String> first = tasks.due(batch + "a", 3);
                NotifyRunSummary during =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "first run");
                assertThat(during.delivered()).isZero();
                assertThat(during.retried()).isEqualTo(3);
                teams.addAll(first);

                // Every later page, and the health check, must not wait on the blocked connection.
                List<String> second = tasks.due(batch + "b", 3);
                NotifyRunSummary again =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "second run");
                assertThat(again.delivered()).isZero();
                assertThat(again.retried()).isEqualTo(3);
                assertThat(outbox.lastErrors(second))
                        .allMatch(e -> e.contains("blocks our publisher connection"), "blocked");
                teams.addAll(second);

                Health health = outbox.within(Duration.ofSeconds(5), mqChannel::health, "mqChannel health");
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("state"))).isEqualTo("BLOCKED");
                HttpResponse<String> actuator = outbox.within(
                        Duration.ofSeconds(10),
                        () -> HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()),
                        "/actuator/health");
                assertThat(actuator.statusCode()).isEqualTo(503);
                assertThat(outbox.statuses(teams)).containsOnly(2);
            } finally {
                broker.clearAlarm();
            }

            // Once the alarm lifts the job delivers every one of them (a publish whose confirm timed out may land as
            // well: at least once, never none).
            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            outbox.makeRetriesDue();
            NotifyRunSummary after = outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "run after");
            assertThat(after.delivered()).isEqualTo(teams.size());
            assertThat(outbox.statuses(teams)).containsOnly(1);
            await(() -> teams.stream().allMatch(t -> !mall.forTeam(t).isEmpty()));
        }
    }
}
