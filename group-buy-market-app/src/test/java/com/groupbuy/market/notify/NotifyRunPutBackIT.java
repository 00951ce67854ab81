package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.NotifyDispatcher;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A run does not take again a callback it put back unsent itself (#17: the endpoint's bulkhead full, its breaker open,
 * our broker blocking us): the task waits out its wait for the next run. Before, the wait was counted from when the
 * page gave the task up, so a run that went on longer than the wait (other tasks to send, or ~2,000 one-row put-backs
 * under load while our broker blocked us: each put back 6 times in one 48 s run) took it again, refused it and put it
 * back, round after round, a claim and a write each. Independent of speed: the refused tasks' wait (100 ms) is shorter
 * than each send of the run's other tasks (a slow partner, 150 ms each), so the run always outlasts it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.notify.run-lanes=1",
            "gbm.notify.http-concurrency=1",
            "gbm.notify.page-size=2",
            "gbm.notify.guard.max-concurrent-per-endpoint=1",
            "gbm.notify.guard.bulkhead-retry-after=100ms"
        })
class NotifyRunPutBackIT {

    private static final int REFUSED = 3;
    private static final int SLOW = 4;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyDispatcher dispatcher;

    @Autowired
    MeterRegistry meters;

    /** The partner endpoint whose one permit another caller holds: the run's callbacks to it are refused. */
    private PartnerServer busy;
    /** A partner that answers each callback after 150 ms: the run's other work. */
    private PartnerServer slow;

    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicInteger sentToBusy = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() throws IOException {
        busy = new PartnerServer((path, team) -> {
                    if (path.equals("/hold")) {
                        holding.incrementAndGet();
                        release.await(30, TimeUnit.SECONDS);
                    } else {
                        sentToBusy.incrementAndGet();
                    }
                    return PartnerServer.answer(200, "success");
                })
                .start();
        slow = new PartnerServer((path, team) -> {
                    Thread.sleep(150);
                    return PartnerServer.answer(200, "success");
                })
                .start();
        tasks = new NotifyTaskFixture(jdbc);
        // Earlier tests' tasks are done and hold no lease.
        jdbc.update(
                "UPDATE notify_task SET notify_status = 1, claimed_by = NULL, claim_token = NULL, claim_until = NULL");
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        busy.close();
        slow.close();
    }

    @Test
    void aRunDoesNotTakeAgainTheCallbacksItPutBackItself() throws Exception {
        // A callback handed off after commit holds the busy endpoint's only permit.
        String held = tasks.dueTask(busy.url("/hold"));
        dispatcher.dispatchAsync(tasks.taskId(held));
        TestJson.await(() -> holding.get() == 1);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < REFUSED; i++) {
            refused.add(tasks.dueTask(busy.url("/callback")));
        }
        List<String> others = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            others.add(tasks.dueTask(slow.url("/callback")));
        }
        double refusalsBefore = refusals();

        NotifyRunSummary run = notifyService.deliverAllDue();

        // Pages of two: the refused ones are put back due 100 ms later, and the slow partner's four sends (600 ms)
        // follow. Each refused callback was refused and put back once in the run, not again at every page after.
        assertThat(refusals() - refusalsBefore)
                .as("refusals of the busy endpoint in one run (one put-back per refused callback)")
                .isEqualTo(REFUSED);
        assertThat(run.delivered()).isEqualTo(SLOW);
        assertThat(run.claimed()).as("every task claimed once").isEqualTo(REFUSED + SLOW);
        assertThat(tasks.countWhere("notify_status = 1 AND notify_count = 1", others))
                .isEqualTo(SLOW);
        assertThat(tasks.countWhere(
                        "notify_status = 2 AND notify_count = 0 AND claim_token IS NULL"
                                + " AND last_error LIKE 'not sent:%already in flight'",
                        refused))
                .as("put back unsent, no try used (#17)")
                .isEqualTo(REFUSED);
        assertThat(sentToBusy.get()).isZero();

        // The next run takes them, once the permit is free: nothing lost, each sent once.
        release.countDown();
        TestJson.await(() -> tasks.countWhere("notify_status = 1", List.of(held)) == 1);
        TestJson.await(() -> {
            notifyService.deliverAllDue();
            return tasks.countWhere("notify_status = 1", refused) == REFUSED;
        });
        assertThat(sentToBusy.get()).isEqualTo(REFUSED);
        assertThat(tasks.countWhere("notify_count = 1", refused)).isEqualTo(REFUSED);
    }

    /** Sends the guards refused to the busy endpoint (not sent, put back). */
    private double refusals() {
        return meters.find("gbm.notify.not.sent").tag("endpoint", busy.endpoint()).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
