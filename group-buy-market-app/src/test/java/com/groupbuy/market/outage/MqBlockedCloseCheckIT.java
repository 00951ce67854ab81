package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Close checks (the delay path of timeout closing) due while the broker blocks our publisher connection (a memory or
 * disk alarm): each page must end at once and wait in the outbox, not hold the delivery thread — a compensation
 * lane, whose HTTP callbacks wait with it — on the blocked connection (a channel's open waits there for the channel
 * RPC timeout, 10 minutes). The checks not published use no try (our broker's alarm, as for partners' callbacks) and
 * go out within seconds of the alarm lifting. Against a RabbitMQ node of the alarm tests' own, whose memory alarm it
 * raises.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0", "gbm.mq.confirm-timeout=2s"})
class MqBlockedCloseCheckIT {

    /** Far from due: no check expires into the close-check queue while the test runs. */
    private static final Duration NOMINAL = Duration.ofMinutes(16);

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        registry.add("gbm.close-check.enabled", () -> "true");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Test
    void closeChecksDueWhileTheBrokerBlocksUsWaitWithoutUsingATryAndArePublishedSoonAfterItLifts() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        try (BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            List<String> warmUp = insert(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            assertThat(outbox.statuses(warmUp)).containsOnly(1);

            List<String> teams = new ArrayList<>();
            List<Integer> before;
            broker.raiseAlarm();
            try {
                // The first page publishes into the blocked connection and gets no confirm within the 2 s.
                List<String> first = insert(batch + "a", 3);
                NotifyRunSummary during =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "first run");
                assertThat(during.delivered()).isZero();

                List<String> second = insert(batch + "b", 3);
                NotifyRunSummary again =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "second run");
                assertThat(again.delivered()).isZero();
                // Our broker's alarm costs a check no attempt (as a partner's callback): not sent, no try used, due
                // again in seconds. Counted as attempts, a long alarm walked each check along its backoff, and its
                // team closed late, by the polling job.
                outbox.assertNotSentNoTry(second, "blocks our publisher connection");

                // However long the alarm lasts (run after run), no check comes closer to its last attempt.
                teams.addAll(first);
                teams.addAll(second);
                before = outbox.runsIntoTheAlarmUseNoTry(notifyService::deliverAllDue, teams);
                assertThat(outbox.statuses(teams)).containsOnly(2);
            } finally {
                broker.clearAlarm();
            }

            // Once the alarm lifts, the checks not sent go out at their own next time, seconds later (no retry made
            // due by hand): not an hour of the backoff later.
            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            await(() -> {
                notifyService.deliverAllDue();
                return outbox.statuses(teams).stream().allMatch(status -> status == 1);
            });
            // The checks published into the alarm (the first run's, unconfirmed) used a try; the rest none.
            assertThat(outbox.counts(teams))
                    .isEqualTo(before.stream().map(n -> n + 1).toList());
        }
    }

    @Autowired
    CloseCheckPublisher publisher;

    @Autowired
    MqExchangeGuard guard;

    /**
     * A page of close checks bigger than the publisher connection's socket buffers, published into the alarm: the
     * broker reads nothing after the page's first publish, so the client's socket write blocks once the buffers are
     * full and held the page's thread past its confirm timeout, until the alarm lifted. The page stops publishing
     * once the broker tells us it blocks us.
     */
    @Test
    void aPageBiggerThanTheSocketBuffersPublishedIntoTheAlarmEndsWithinItsConfirmTimeout() throws Exception {
        assertThat(guard.ensureDeclared()).isNull();
        String batch = UUID.randomUUID().toString().substring(0, 6);
        Instant closeAt = Instant.now().plus(NOMINAL);
        List<NotifyTaskVO> page = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            String teamId = batch + i;
            page.add(NotifyTaskVO.builder()
                    .id(i)
                    .webhookId("msg_blkccpage" + batch + i)
                    .teamId(teamId)
                    .source("s01")
                    .channel("c01")
                    .notifyCategory(CloseCheckVO.Kind.TEAM_EXPIRY.category())
                    .notifyType("DELAY")
                    .body(CloseCheckVO.teamExpiry(teamId, closeAt, NOMINAL).toJson())
                    .build());
        }
        try (BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            outbox.pageIntoTheAlarm(
                    broker, page.size(), () -> publisher.deliverAll(page), "a page of 40,000 close checks");
        }
        await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
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
}
