package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRabbit;
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
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Close checks (the delay path of timeout closing) due while the broker blocks our publisher connection (a memory or
 * disk alarm): each page must fail at once and wait in the outbox, not hold the delivery thread — a compensation
 * lane, whose HTTP callbacks wait with it — on the blocked connection (a channel's open waits there for the channel
 * RPC timeout, 10 minutes). Against a RabbitMQ node of this class's own, whose memory alarm it raises.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.confirm-timeout=2s"})
class MqBlockedCloseCheckIT {

    /** Far from due: no check expires into the close-check queue while the test runs. */
    private static final Duration NOMINAL = Duration.ofMinutes(16);

    private static PrivateRabbit broker;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker = PrivateRabbit.start();
        registry.add("spring.rabbitmq.port", () -> broker.port());
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.close-check.enabled", () -> "true");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    private final ExecutorService runner = Executors.newCachedThreadPool();

    @Test
    void closeChecksDueWhileTheBrokerBlocksUsFailAtOnceAndArePublishedWhenItLifts() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        try {
            List<String> warmUp = insert(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            assertThat(statuses(warmUp)).containsOnly(1);

            List<String> teams = new ArrayList<>();
            broker.memoryAlarm(true);
            try {
                // The first page publishes into the blocked connection and gets no confirm within the 2 s.
                List<String> first = insert(batch + "a", 3);
                NotifyRunSummary during = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "first run");
                assertThat(during.delivered()).isZero();
                teams.addAll(first);

                List<String> second = insert(batch + "b", 3);
                NotifyRunSummary again = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "second run");
                assertThat(again.delivered()).isZero();
                assertThat(lastErrors(second)).allMatch(e -> e.contains("blocks our publisher connection"), "blocked");
                teams.addAll(second);
                assertThat(statuses(teams)).containsOnly(2);
            } finally {
                broker.memoryAlarm(false);
            }

            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            jdbc.update(
                    "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status = 2",
                    Timestamp.from(Instant.now().minusSeconds(1)));
            NotifyRunSummary after = within(Duration.ofSeconds(20), notifyService::deliverAllDue, "run after");
            assertThat(after.delivered()).isEqualTo(teams.size());
            assertThat(statuses(teams)).containsOnly(1);
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
        Instant closeAt = Instant.now().plus(NOMINAL);
        for (int i = 0; i < n; i++) {
            String teamId = String.format("%08x", (batch + i).hashCode());
            jdbc.update(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel,"
                            + " notify_category, notify_type, notify_count, notify_status, parameter_json,"
                            + " next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', ?, 'DELAY', 0, 0, ?, ?)",
                    teamId + ":" + CloseCheckVO.Kind.TEAM_EXPIRY.category(),
                    "msg_blkcc" + batch + i,
                    teamId,
                    CloseCheckVO.Kind.TEAM_EXPIRY.category(),
                    CloseCheckVO.teamExpiry(teamId, closeAt, NOMINAL).toJson(),
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
