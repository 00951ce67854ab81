package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;

import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.SecondInstance;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A stop (SIGTERM, a rolling deploy: the context closing) while a background run is working. The instance stopped is
 * a second one on the class's database ({@link SecondInstance}); the test's own instance runs no job and reads what
 * the stopped one left.
 */
@IntegrationTest
class BackgroundRunStopIT {

    /** What the stopped instance's close may take beyond one send's longest call: its own stop, a page's write. */
    private static final Duration MARGIN = Duration.ofSeconds(4);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    /**
     * A stop while the local compensation run pages through a backlog of callbacks to a slow partner: Spring's stop
     * waited for the run up to its 30 s phase timeout while the run kept claiming and sending pages, then closed the
     * database pool under it (the run's later pages leased and never recorded, so held for a lease before another
     * instance could send them). Now the run claims no further page and starts no further send once the stop begins:
     * the close lasts about one send's longest call, what a page did not send is put back at once, unsent and no try
     * used, and nothing is left leased.
     */
    @Test
    void aStopDuringACompensationRunEndsWithinOneSendAndLeavesNothingLeased() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            partner.answerAfter(Duration.ofSeconds(1));
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            for (int i = 0; i < 200; i++) {
                tasks.dueTask(partner.url());
            }
            // One send's longest call: 500 ms + 2 x 2 s = 4.5 s. Two lanes, pages of 8, at most 4 sends to the partner
            // in flight (its bulkhead): the others of the pages wait in memory for one to end.
            Duration sendWindow = Duration.ofMillis(4500);
            SecondInstance stopped = SecondInstance.like(
                    environment,
                    "gbm.notify.local-scheduler-enabled=true",
                    "gbm.notify.local-scheduler-delay=100ms",
                    "gbm.notify.connect-timeout=500ms",
                    "gbm.notify.read-timeout=2s",
                    "gbm.notify.run-lanes=2",
                    "gbm.notify.page-size=8",
                    "gbm.notify.http-concurrency=4",
                    "gbm.notify.guard.max-concurrent-per-endpoint=4");
            Instant stopBegan;
            Duration close;
            int receivedAtStop;
            try {
                await(() -> partner.received().size() >= 4);
            } finally {
                receivedAtStop = partner.received().size();
                stopBegan = Instant.now();
                stopped.close();
                close = Duration.between(stopBegan, Instant.now());
            }
            int receivedAtClose = partner.received().size();
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(close)
                    .as("the stop ends within one send's longest call and a margin")
                    .isLessThan(sendWindow.plus(MARGIN));
            // The partner's four places (its bulkhead) were all taken by sends a second long when the stop began, so a
            // send the partner got after it, or an attempt recorded beyond what it had got, started after the stop: a
            // page claimed, or a send begun, once the run should have ended. Counted, not timed: a comparison of
            // attempt
            // times with the stop's instant failed once in a full run with every send logged before the stop.
            soft.assertThat(receivedAtClose)
                    .as("callbacks the partner got after the stop began")
                    .isEqualTo(receivedAtStop);
            soft.assertThat(jdbc.queryForList("SELECT task_id, attempt_time FROM notify_attempt"))
                    .as("attempts recorded: only the sends begun before the stop (stop began " + stopBegan + ")")
                    .hasSize(receivedAtStop);
            soft.assertThat(jdbc.queryForList(
                            "SELECT id, notify_status, claim_until FROM notify_task WHERE claimed_by IS NOT NULL"))
                    .as("callbacks left leased to the stopped instance")
                    .isEmpty();
            soft.assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE notify_count = 0 AND notify_status = 2"
                                    + " AND last_error = 'not sent: the instance stopped'",
                            Integer.class))
                    .as("the callbacks of the pages in hand not sent: put back due, no try used")
                    .isPositive();
            Thread.sleep(1000); // a run outliving the close goes on sending meanwhile (it did on main for 20 s)
            soft.assertThat(partner.received())
                    .as("nothing sent after the close")
                    .hasSize(receivedAtClose);
            soft.assertAll();
        }
    }
}
