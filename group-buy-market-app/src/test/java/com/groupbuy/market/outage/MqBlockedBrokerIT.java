package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PrivateRabbit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
 * RabbitMQ node of this class's own, whose memory alarm it raises.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.confirm-timeout=2s"})
class MqBlockedBrokerIT {

    private static PrivateRabbit broker;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker = PrivateRabbit.start();
        registry.add("spring.rabbitmq.port", () -> broker.port());
        registry.add("gbm.mq.enabled", () -> "true");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
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

    private final ExecutorService runner = Executors.newCachedThreadPool();

    @Test
    void callbacksDueWhileTheBrokerBlocksUsFailAtOnceAndAreDeliveredWhenItLifts() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        try (MallQueue mall = new MallQueue(broker.port(), "topic.team_success")) {
            List<String> warmUp = insert(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            List<String> teams = new ArrayList<>();
            broker.memoryAlarm(true);
            try {
                // The first page publishes into the blocked connection (the broker tells us it blocks us only
                // then) and gets no confirm within the 2 s.
                List<String> first = insert(batch + "a", 3);
                NotifyRunSummary during = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "first run");
                assertThat(during.delivered()).isZero();
                assertThat(during.retried()).isEqualTo(3);
                teams.addAll(first);

                // Every later page, and the health check, must not wait on the blocked connection.
                List<String> second = insert(batch + "b", 3);
                NotifyRunSummary again = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "second run");
                assertThat(again.delivered()).isZero();
                assertThat(again.retried()).isEqualTo(3);
                assertThat(lastErrors(second)).allMatch(e -> e.contains("blocks our publisher connection"), "blocked");
                teams.addAll(second);

                Health health = within(Duration.ofSeconds(5), mqChannel::health, "mqChannel health");
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("state"))).isEqualTo("BLOCKED");
                HttpResponse<String> actuator = within(
                        Duration.ofSeconds(10),
                        () -> HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()),
                        "/actuator/health");
                assertThat(actuator.statusCode()).isEqualTo(503);
                assertThat(statuses(teams)).containsOnly(2);
            } finally {
                broker.memoryAlarm(false);
            }

            // Once the alarm lifts the job delivers every one of them (a publish whose confirm timed out may land as
            // well: at least once, never none).
            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            jdbc.update(
                    "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status = 2",
                    Timestamp.from(Instant.now().minusSeconds(1)));
            NotifyRunSummary after = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "run after");
            assertThat(after.delivered()).isEqualTo(teams.size());
            assertThat(statuses(teams)).containsOnly(1);
            await(() -> teams.stream().allMatch(t -> !mall.forTeam(t).isEmpty()));
        } finally {
            runner.shutdownNow();
        }
    }

    private <T> T within(Duration bound, Callable<T> work, String what) throws Exception {
        Future<T> future = runner.submit(work);
        try {
            return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail(what + " still running after " + bound.toSeconds() + " s while the broker blocks us");
        }
    }

    private List<String> insert(String batch, int n) {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String teamId = String.format("%08x", (batch + i).hashCode());
            jdbc.update(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                            + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                            + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', "
                            + "'topic.team_success', 0, 0, ?, ?)",
                    teamId + ":trade_settlement",
                    "msg_blk" + batch + i,
                    teamId,
                    "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + i + "\"]}",
                    Timestamp.from(Instant.now().minusSeconds(1)));
            teams.add(teamId);
        }
        return teams;
    }

    private List<Integer> statuses(List<String> teams) {
        return teams.stream()
                .map(t -> jdbc.queryForObject(
                        "SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, t))
                .toList();
    }

    private List<String> lastErrors(List<String> teams) {
        return teams.stream()
                .map(t -> String.valueOf(
                        jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, t)))
                .toList();
    }
}
