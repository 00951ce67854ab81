package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.support.AlarmedBroker;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox of a test whose broker blocks our publisher connection: work that must end within a bound while it
 * blocks us (run on a thread of its own, so a hang fails the test instead of holding it), and the tasks' rows.
 */
final class BlockedOutbox implements AutoCloseable {

    private final ExecutorService runner = Executors.newCachedThreadPool();
    private final JdbcTemplate jdbc;

    BlockedOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The work's result, or a failure naming {@code what} if it is still running after {@code bound}. */
    <T> T within(Duration bound, Callable<T> work, String what) throws Exception {
        Future<T> future = runner.submit(work);
        try {
            return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail(what + " still running after " + bound.toSeconds() + " s while the broker blocks us");
        }
    }

    /**
     * Raises the broker's alarm and publishes a page of {@code size} into it: the page must end within its confirm
     * timeout (2 s in these classes) with nothing delivered and most of it not published because the broker blocks
     * us (it stops publishing once it knows), then the alarm is cleared.
     */
    void pageIntoTheAlarm(AlarmedBroker broker, int size, Callable<List<DeliveryResult>> page, String what)
            throws Exception {
        broker.raiseAlarm();
        try {
            long start = System.nanoTime();
            List<DeliveryResult> results = within(Duration.ofSeconds(30), page, what);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs).as(what).isLessThan(Duration.ofSeconds(2 + 3).toMillis());
            assertThat(results).noneMatch(DeliveryResult::delivered);
            assertThat(results.stream()
                            .filter(r -> r.error().contains("blocks our publisher connection"))
                            .count())
                    .isGreaterThan(size / 2);
        } finally {
            broker.clearAlarm();
        }
    }

    /** The notify status of each team's task. */
    List<Integer> statuses(List<String> teams) {
        return teams.stream()
                .map(t -> jdbc.queryForObject(
                        "SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, t))
                .toList();
    }

    /** The last error of each team's task. */
    List<String> lastErrors(List<String> teams) {
        return teams.stream()
                .map(t -> String.valueOf(
                        jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, t)))
                .toList();
    }

    /** The try count of each team's task. */
    List<Integer> counts(List<String> teams) {
        return teams.stream()
                .map(t ->
                        jdbc.queryForObject("SELECT notify_count FROM notify_task WHERE team_id = ?", Integer.class, t))
                .toList();
    }

    /** How many attempt rows the teams' tasks have. */
    long attemptRows(List<String> teams) {
        return teams.stream()
                .mapToLong(t -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id"
                                + " WHERE t.team_id = ?",
                        Long.class,
                        t))
                .sum();
    }

    /** How many of the teams' tasks wait as RETRY due again within {@code bound} of now. */
    long dueWithin(List<String> teams, Duration bound) {
        Timestamp by = Timestamp.from(Instant.now().plus(bound));
        return teams.stream()
                .filter(t -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_status = 2"
                                        + " AND next_attempt_time <= ?",
                                Long.class,
                                t,
                                by)
                        == 1)
                .count();
    }

    /**
     * Each team's task was not sent for {@code why} (after "not sent: "), no try used and no attempt row, and is due
     * again within seconds: what our broker blocking us (or our own pacing) costs a task, no fault of its recipient.
     */
    void assertNotSentNoTry(List<String> teams, String why) {
        assertThat(lastErrors(teams)).allMatch(e -> e.startsWith("not sent: ") && e.contains(why), "not sent: " + why);
        assertThat(counts(teams)).containsOnly(0);
        assertThat(attemptRows(teams)).isZero();
        assertThat(dueWithin(teams, Duration.ofSeconds(10))).isEqualTo(teams.size());
    }

    /**
     * Runs {@code run} three times into the alarm, every waiting task made due first: none delivers or fails a task,
     * and no team's task uses a try or gains an attempt row (however long the alarm lasts, none comes closer to its
     * last try). Returns the teams' try counts.
     */
    List<Integer> runsIntoTheAlarmUseNoTry(Callable<NotifyRunSummary> run, List<String> teams) throws Exception {
        List<Integer> before = counts(teams);
        long attemptsBefore = attemptRows(teams);
        for (int i = 0; i < 3; i++) {
            makeRetriesDue();
            NotifyRunSummary later = within(Duration.ofSeconds(20), run, "a later run");
            assertThat(later.delivered()).isZero();
            assertThat(later.failed()).isZero();
        }
        assertThat(counts(teams)).isEqualTo(before);
        assertThat(attemptRows(teams)).isEqualTo(attemptsBefore);
        return before;
    }

    /** Makes every task waiting to be retried (status 2) due now. */
    void makeRetriesDue() {
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status = 2",
                Timestamp.from(Instant.now().minusSeconds(1)));
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
