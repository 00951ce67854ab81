package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskStore;
import com.groupbuy.market.support.IntegrationTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The compensation path against the real outbox and a real partner server: retries until the partner recovers,
 * fails at the cap, never sends one task twice from two shards, and takes back tasks whose worker vanished.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class NotifyJobIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyTaskStore store;

    @Autowired
    GroupBuyNotifyService gateway;

    private MockWebServer partner;
    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() throws Exception {
        partner = new MockWebServer();
        partner.start();
        tasks = new NotifyTaskFixture(jdbc);
        jdbc.update("UPDATE notify_task SET notify_status = 1");
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void partnerThatFailsThenRecoversEndsInSuccessWithEveryAttemptRecorded() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(503).build());
        partner.enqueue(new MockResponse.Builder().code(200).body("error").build());
        partner.enqueue(new MockResponse.Builder().code(200).body(" success \n").build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());

        notifyService.deliverAllDue();
        assertThat(tasks.status(teamId)).isEqualTo(2);
        assertThat(notifyService.deliverAllDue().claimed())
                .as("not due again before its backoff")
                .isZero();
        tasks.makeDue(teamId);
        notifyService.deliverAllDue();
        assertThat(tasks.status(teamId)).isEqualTo(2);
        tasks.makeDue(teamId);
        NotifyRunSummary last = notifyService.deliverAllDue();

        assertThat(last.delivered()).isEqualTo(1);
        assertThat(tasks.status(teamId)).isEqualTo(1);
        assertThat(tasks.count(teamId)).isEqualTo(3);
        assertThat(tasks.attemptRows(teamId)).isEqualTo(3);
        assertThat(jdbc.queryForList(
                        "SELECT a.http_status FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ? ORDER BY a.attempt_no",
                        Integer.class,
                        teamId))
                .containsExactly(503, 200, 200);
    }

    @Test
    void capReachedFailsTheTaskAndTheJobLeavesItAlone() throws Exception {
        for (int i = 0; i < 3; i++) {
            partner.enqueue(new MockResponse.Builder().code(500).build());
        }
        String teamId = tasks.dueTask(partner.url("/cb").toString());

        for (int i = 0; i < 3; i++) {
            notifyService.deliverAllDue();
            tasks.makeDue(teamId);
        }

        assertThat(tasks.status(teamId)).isEqualTo(3);
        assertThat(tasks.count(teamId)).isEqualTo(3);
        assertThat(notifyService.deliverAllDue().claimed()).isZero();
        assertThat(partner.getRequestCount()).isEqualTo(3);
    }

    @Test
    void transportErrorIsAnAttemptNotAnEndlessRetry() throws Exception {
        String teamId = tasks.dueTask("http://127.0.0.1:1/refused");

        notifyService.deliverAllDue();

        assertThat(tasks.status(teamId)).isEqualTo(2);
        assertThat(tasks.count(teamId)).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT a.error FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ?",
                        String.class,
                        teamId))
                .contains("ConnectException");
    }

    @Test
    void manualReDriveOfATeamSendsItsPendingTaskWhateverItsNextTime() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = tasks.dueTask(partner.url("/cb").toString());
        jdbc.update(
                "UPDATE notify_task SET notify_status = 2, next_attempt_time = ? WHERE team_id = ?",
                Timestamp.from(Instant.now().plus(Duration.ofHours(3))),
                teamId);

        assertThat(notifyService.deliverAllDue().claimed()).isZero();
        NotifyRunSummary redriven = notifyService.deliverTeamNow(teamId);

        assertThat(redriven.delivered()).isEqualTo(1);
        assertThat(tasks.status(teamId)).isEqualTo(1);
    }

    @Test
    void twoShardsOverTwoHundredTasksDeliverEachExactlyOnce() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            teams.add(tasks.dueTask(partner.url("/cb").toString()));
        }
        DueCallbackDeliveryService shard0 = worker("shard-0");
        DueCallbackDeliveryService shard1 = worker("shard-1");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<NotifyRunSummary> first = pool.submit(() -> {
            start.await();
            return shard0.deliverDueOfShard(0, 2);
        });
        Future<NotifyRunSummary> second = pool.submit(() -> {
            start.await();
            return shard1.deliverDueOfShard(1, 2);
        });
        start.countDown();
        NotifyRunSummary a = first.get();
        NotifyRunSummary b = second.get();
        pool.shutdown();

        assertThat(a.delivered() + b.delivered()).isEqualTo(200);
        assertThat(a.delivered()).isPositive();
        assertThat(b.delivered()).isPositive();
        assertThat(partner.getRequestCount()).isEqualTo(200);
        for (String teamId : teams) {
            assertThat(tasks.status(teamId)).isEqualTo(1);
            assertThat(tasks.count(teamId)).isEqualTo(1);
        }
    }

    @Test
    void twoWorkersOnTheSameTasksNeverSendOneTaskTwice() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            teams.add(tasks.dueTask(partner.url("/cb").toString()));
        }
        DueCallbackDeliveryService one = worker("w-1");
        DueCallbackDeliveryService two = worker("w-2");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<NotifyRunSummary> x = pool.submit(() -> {
            start.await();
            return one.deliverAllDue();
        });
        Future<NotifyRunSummary> y = pool.submit(() -> {
            start.await();
            return two.deliverAllDue();
        });
        start.countDown();
        int delivered = x.get().delivered() + y.get().delivered();
        pool.shutdown();

        assertThat(delivered).isEqualTo(60);
        assertThat(partner.getRequestCount()).isEqualTo(60);
        teams.forEach(teamId -> assertThat(tasks.count(teamId)).isEqualTo(1));
    }

    @Test
    void twoWorkersOfEightLanesEachDeliverEveryTaskExactlyOnce() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            teams.add(tasks.dueTask(partner.url("/cb").toString()));
        }
        ExecutorService lanes = Executors.newFixedThreadPool(16);
        DueCallbackDeliveryService one = worker("lanes-1", lanes, 8);
        DueCallbackDeliveryService two = worker("lanes-2", lanes, 8);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<NotifyRunSummary> x = pool.submit(() -> {
            start.await();
            return one.deliverAllDue();
        });
        Future<NotifyRunSummary> y = pool.submit(() -> {
            start.await();
            return two.deliverAllDue();
        });
        start.countDown();
        NotifyRunSummary a = x.get();
        NotifyRunSummary b = y.get();
        pool.shutdown();
        lanes.shutdown();

        assertThat(a.claimed() + b.claimed()).isEqualTo(300);
        assertThat(a.delivered() + b.delivered()).isEqualTo(300);
        assertThat(partner.getRequestCount()).isEqualTo(300);
        for (String teamId : teams) {
            assertThat(tasks.status(teamId)).isEqualTo(1);
            assertThat(tasks.count(teamId)).isEqualTo(1);
            assertThat(tasks.attemptRows(teamId)).isEqualTo(1);
        }
    }

    @Test
    void theConfiguredServiceDeliversAPageOverItsLanesAndRecordsEachOnce() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            partner.enqueue(new MockResponse.Builder()
                    .code(i % 10 == 0 ? 503 : 200)
                    .body("success")
                    .build());
            teams.add(tasks.dueTask(partner.url("/cb").toString()));
        }

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(150);
        assertThat(run.delivered() + run.retried()).isEqualTo(150);
        assertThat(run.retried()).isEqualTo(15);
        assertThat(partner.getRequestCount()).isEqualTo(150);
        for (String teamId : teams) {
            assertThat(tasks.count(teamId)).isEqualTo(1);
            assertThat(tasks.attemptRows(teamId)).isEqualTo(1);
        }
    }

    @Test
    void taskLeasedByAVanishedWorkerIsDeliveredAfterTheLeaseButNotBefore() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String expired = tasks.dueTask(partner.url("/cb").toString());
        String live = tasks.dueTask(partner.url("/cb").toString());
        jdbc.update(
                "UPDATE notify_task SET claimed_by = 'dead-worker', claim_until = ? WHERE team_id = ?",
                Timestamp.from(Instant.now().minusSeconds(5)),
                expired);
        jdbc.update(
                "UPDATE notify_task SET claimed_by = 'busy-worker', claim_until = ? WHERE team_id = ?",
                Timestamp.from(Instant.now().plusSeconds(300)),
                live);

        NotifyRunSummary summary = notifyService.deliverAllDue();

        assertThat(summary.delivered()).isEqualTo(1);
        assertThat(tasks.status(expired)).isEqualTo(1);
        assertThat(tasks.status(live)).isZero();
    }

    private DueCallbackDeliveryService worker(String name) {
        return new DueCallbackDeliveryService(
                store,
                gateway,
                new NotifyBackoff(List.of(Duration.ofSeconds(30)), 0, () -> 0.5),
                Clock.systemUTC(),
                name,
                DeliverySettings.builder(Duration.ofSeconds(60), 20, Duration.ofSeconds(30))
                        .build(),
                Runnable::run,
                new RunStop());
    }

    private DueCallbackDeliveryService worker(String name, ExecutorService lanes, int laneCount) {
        return new DueCallbackDeliveryService(
                store,
                gateway,
                new NotifyBackoff(List.of(Duration.ofSeconds(30)), 0, () -> 0.5),
                Clock.systemUTC(),
                name,
                DeliverySettings.builder(Duration.ofSeconds(60), 20, Duration.ofSeconds(30))
                        .lanes(laneCount)
                        .build(),
                lanes,
                new RunStop());
    }
}
