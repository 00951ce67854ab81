package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.NotifyDispatcher;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A run does not take again a callback it put back unsent itself (#17: the endpoint's bulkhead full, its breaker open,
 * our broker blocking us): the task waits out its wait for the next run. Before, the wait was counted from when the
 * page gave the task up, so a run that went on longer than the wait (other tasks to send, or ~2,000 one-row put-backs
 * under load while our broker blocked us: each put back 6 times in one 48 s run) took it again, refused it and put it
 * back, round after round, a claim and a write each. Independent of speed: the refused tasks' wait (100 ms) is shorter
 * than each send of the run's other tasks (a slow partner, 150 ms each), so the run always outlasts it. A page's
 * put-backs are one statement, not one per task, and a lease taken over meanwhile is refused alone: the statements are
 * counted in the deferral DAO's own log (MyBatis logs each statement it prepares at DEBUG; the shared server's
 * performance_schema is off, and its session counters are the pool's connection's).
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.notify.run-lanes=1",
            "gbm.notify.http-concurrency=1",
            "gbm.notify.page-size=2",
            "gbm.notify.guard.max-concurrent-per-endpoint=1",
            "gbm.notify.guard.bulkhead-retry-after=100ms",
            "logging.level.com.groupbuy.market.infrastructure.outbox.dao.INotifyDeferralDao=DEBUG"
        })
class NotifyRunPutBackIT {

    private static final int REFUSED = 3;
    private static final int SLOW = 4;
    /** A statement the deferral DAO sent, as MyBatis logs it at DEBUG. */
    private static final String STATEMENT = "==>  Preparing: ";

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
    /** Run as the slow partner answers a callback to {@code /takeover}: while its page is being sent. */
    private volatile Runnable atTakeover = () -> {};

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
                    if (path.equals("/takeover")) {
                        atTakeover.run();
                    }
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

    /**
     * The callbacks of one page the busy endpoint refused are put back by one statement (on main, one each); and when
     * another claimant took one's lease while the page was being sent, that one alone is refused: it keeps the other
     * claimant's lease, its WARN names it, and the page's others are put back all the same.
     */
    @Test
    void aPagesPutBacksAreOneStatementAndATakenOverLeaseIsRefusedAlone(CapturedOutput output) throws Exception {
        String held = tasks.dueTask(busy.url("/hold"));
        dispatcher.dispatchAsync(tasks.taskId(held));
        TestJson.await(() -> holding.get() == 1);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refused.add(tasks.dueTask(busy.url("/callback")));
        }
        List<Long> ids = refused.stream().map(tasks::taskId).toList();

        int logFrom = output.getAll().length();
        NotifyRunSummary page = notifyService.deliverNow(ids);

        assertThat(page.claimed()).isEqualTo(5);
        assertThat(page.retried()).isEqualTo(5);
        assertThat(statements(output, logFrom))
                .as("statements putting back the page's 5 callbacks")
                .isEqualTo(1);
        assertThat(tasks.countWhere(
                        "notify_status = 2 AND notify_count = 0 AND claim_token IS NULL"
                                + " AND last_error LIKE 'not sent:%already in flight'",
                        refused))
                .isEqualTo(5);

        // Again, due before the slow partner's callback, which is sent after them: as it is answered, another claimant
        // takes the first one's lease (its lease ran out and it was claimed anew).
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE id IN (?, ?, ?, ?, ?)",
                Timestamp.from(Instant.now().minusSeconds(2)),
                ids.get(0),
                ids.get(1),
                ids.get(2),
                ids.get(3),
                ids.get(4));
        String other = tasks.dueTask(slow.url("/takeover"));
        long takenOver = ids.get(0);
        atTakeover = () -> jdbc.update(
                "UPDATE notify_task SET claimed_by = 'other', claim_token = 'another-claimant' WHERE id = ?",
                takenOver);
        List<Long> pageIds = new ArrayList<>(ids);
        pageIds.add(tasks.taskId(other));
        logFrom = output.getAll().length();

        NotifyRunSummary second = notifyService.deliverNow(pageIds);

        String log = output.getAll().substring(logFrom);
        assertThat(second.claimed()).isEqualTo(6);
        assertThat(second.delivered()).isEqualTo(1);
        assertThat(second.retried()).as("put back: all but the taken-over one").isEqualTo(4);
        assertThat(tasks.countWhere("claim_token IS NULL AND notify_status = 2 AND notify_count = 0", refused))
                .isEqualTo(4);
        assertThat(jdbc.queryForMap("SELECT claimed_by, claim_token FROM notify_task WHERE id = ?", takenOver))
                .as("the taken-over lease left to its claimant")
                .containsEntry("claimed_by", "other")
                .containsEntry("claim_token", "another-claimant");
        assertThat(log)
                .contains("notify task=" + takenOver + " team=" + refused.get(0)
                        + " not sent and not put back: the lease was taken over");
        assertThat(log.split("not sent and not put back", -1))
                .as("one such WARN")
                .hasSize(2);
        // The page's UPDATE matched 4 of its 5 rows: rolled back, the rows still held read under lock and put back.
        assertThat(statements(output, logFrom))
                .as("statements putting back the page's 5 callbacks")
                .isEqualTo(3);
    }

    /** How many statements the deferral DAO sent since {@code from} in the captured output. */
    private static int statements(CapturedOutput output, int from) {
        return output.getAll().substring(from).split(STATEMENT, -1).length - 1;
    }

    /** Sends the guards refused to the busy endpoint (not sent, put back). */
    private double refusals() {
        return meters.find("gbm.notify.not.sent").tag("endpoint", busy.endpoint()).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
