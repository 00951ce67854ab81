package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import com.groupbuy.market.domain.support.AgedRows;
import com.groupbuy.market.domain.support.MutableClock;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the retention settings may ask for: never to delete a delivered callback's history within a day. */
class NotifyRetentionServiceTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
    private final List<Instant> asked = new ArrayList<>();
    private final INotifyTaskRetention store = (deliveredBefore, limit) -> {
        asked.add(deliveredBefore);
        return 0;
    };
    /** The cut-offs the consumption records were asked to be deleted before (none of them left). */
    private final List<Instant> recordsAsked = new ArrayList<>();

    private final AgedRows consumed = (before, limit) -> {
        recordsAsked.add(before);
        return 0;
    };

    /** Over {@link #store}, no consumption records, never stopped. */
    private NotifyRetentionService retention(Duration age, int batchSize, Duration runBudget) {
        return new NotifyRetentionService(store, AgedRows.NONE, clock, age, batchSize, runBudget, new RunStop());
    }

    @Test
    void anAgeUnderADayIsRefusedAtStart() {
        for (Duration age : List.of(Duration.ofMillis(7), Duration.ofMinutes(1), Duration.ofHours(23), Duration.ZERO)) {
            assertThatThrownBy(() -> retention(age, 500, Duration.ofSeconds(50)))
                    .as(age.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.retention.age");
        }
        assertThat(asked).isEmpty();
    }

    /**
     * A batch is one delete transaction beside live settlements and the budget how long a run holds its job thread:
     * {@code batch-size=1000000} deleted a million tasks (and their attempts) in one transaction, {@code run-budget=0}
     * or {@code -1s} made every run delete nothing and report success, {@code 50m} (meant 50 s) held the thread an hour.
     */
    @Test
    void aBatchSizeOrRunBudgetOutOfBoundsIsRefusedAtStart() {
        for (int batch : List.of(0, -1, 10_001, 1_000_000)) {
            assertThatThrownBy(() -> retention(Duration.ofDays(7), batch, Duration.ofSeconds(50)))
                    .as("batch " + batch)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.retention.batch-size");
        }
        for (Duration budget :
                List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(11), Duration.ofDays(1))) {
            assertThatThrownBy(() -> retention(Duration.ofDays(7), 500, budget))
                    .as("budget " + budget)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.retention.run-budget");
        }
        retention(Duration.ofDays(7), 10_000, Duration.ofMinutes(10));
        assertThat(asked).isEmpty();
    }

    @Test
    void aDayOrMoreDeletesOnlyWhatWasDeliveredBeforeThen() {
        retention(Duration.ofDays(1), 500, Duration.ofSeconds(50)).execRetention();

        assertThat(asked).containsExactly(Instant.parse("2026-12-01T00:00:00Z"));
    }

    /**
     * An age reaching back before 1970 ("keep for ever": 3650000d) asks the store nothing: no task is that old, and a
     * cutoff before year 1 was bound as the text of its year of the era (7968 for this one), a cutoff in the future.
     * A billion days (year -2735881) and exactly back to the epoch likewise; a day less asks for 1970-01-02.
     */
    @Test
    void anAgeReachingBackBeforeTheEpochDeletesNothing() {
        for (Duration age : List.of(
                Duration.ofDays(3_650_000),
                Duration.ofDays(1_000_000_000),
                Duration.between(Instant.EPOCH, clock.instant()))) {
            var run = retention(age, 500, Duration.ofSeconds(50)).execRetention();

            assertThat(run.deletedTasks()).as(age.toString()).isZero();
        }
        assertThat(asked).isEmpty();

        retention(Duration.between(Instant.EPOCH, clock.instant()).minusDays(1), 500, Duration.ofSeconds(50))
                .execRetention();
        assertThat(asked).containsExactly(Instant.parse("1970-01-02T00:00:00Z"));
    }

    /**
     * A stop of the instance ends a run before its next batch: the scheduler's stop waited for the whole backlog (up to
     * Spring's 30 s phase timeout, then the pool closed under the run).
     */
    @Test
    void aStopEndsTheRunBeforeItsNextBatch() {
        RunStop stop = new RunStop();
        List<Integer> batches = new ArrayList<>();
        INotifyTaskRetention full = (deliveredBefore, limit) -> {
            batches.add(limit);
            if (batches.size() == 3) {
                stop.stop();
            }
            return batches.size() < 5 ? limit : 0; // a backlog of a little under five batches
        };

        var run = new NotifyRetentionService(
                        full, AgedRows.NONE, clock, Duration.ofDays(7), 500, Duration.ofSeconds(50), stop)
                .execRetention();

        assertThat(batches).hasSize(3);
        assertThat(run.deletedTasks()).isEqualTo(1500);
        assertThat(run.budgetSpent()).isFalse();
    }

    /**
     * The consumers' spent records go with the same cut-off after the delivered tasks, batch by batch: nothing deleted
     * them before, and every lock's close check left a row for good.
     */
    @Test
    void consumptionRecordsPastTheAgeGoAfterTheDeliveredTasks() {
        List<String> calls = new ArrayList<>();
        INotifyTaskRetention tasks = (before, limit) -> {
            calls.add("tasks " + before);
            return 0;
        };
        int[] left = {1200};
        AgedRows records = (before, limit) -> {
            calls.add("records " + before);
            int n = Math.min(limit, left[0]);
            left[0] -= n;
            return n;
        };
        var run = new NotifyRetentionService(
                        tasks, records, clock, Duration.ofDays(7), 500, Duration.ofSeconds(50), new RunStop())
                .execRetention();

        assertThat(calls)
                .containsExactly(
                        "tasks 2026-11-25T00:00:00Z",
                        "records 2026-11-25T00:00:00Z",
                        "records 2026-11-25T00:00:00Z",
                        "records 2026-11-25T00:00:00Z");
        assertThat(run.deletedRecords()).isEqualTo(1200);
        assertThat(run.deletedTasks()).isZero();
        assertThat(run.batches()).as("the tasks' batches").isOne();
    }

    /** A run stopped while deleting tasks leaves the records to the next run. */
    @Test
    void aStopDuringTheTasksLeavesTheRecords() {
        RunStop stop = new RunStop();
        INotifyTaskRetention tasks = (before, limit) -> {
            stop.stop();
            return limit;
        };
        var run = new NotifyRetentionService(
                        tasks, consumed, clock, Duration.ofDays(7), 500, Duration.ofSeconds(50), stop)
                .execRetention();

        assertThat(recordsAsked).isEmpty();
        assertThat(run.deletedTasks()).isEqualTo(500);
        assertThat(run.deletedRecords()).isZero();
    }

    /**
     * A run whose budget is spent before its first batch (its thread held past the budget, or the clock stepped on)
     * deletes nothing, neither tasks nor records, and says so: budget spent, no batch, so the operator reads a run
     * that did not get to work, not one that found nothing to delete.
     */
    @Test
    void aRunWhoseBudgetIsSpentBeforeItsFirstBatchDeletesNothingAndSaysSo() {
        MutableClock late = new MutableClock(clock.instant());
        late.advanceAtEveryReading(Duration.ofSeconds(50)); // the run's start, then its first look: 50 s on

        var run = new NotifyRetentionService(
                        store, consumed, late, Duration.ofDays(7), 500, Duration.ofSeconds(50), new RunStop())
                .execRetention();

        assertThat(asked).as("no task batch").isEmpty();
        assertThat(recordsAsked).as("no record batch").isEmpty();
        assertThat(run.budgetSpent()).isTrue();
        assertThat(run.batches()).isZero();
        assertThat(run.deletedTasks()).isZero();
        assertThat(run.deletedRecords()).isZero();
    }

    /** A run starting while the instance stops deletes nothing and does not claim its budget was spent. */
    @Test
    void aStopBeforeTheFirstBatchDeletesNothing() {
        RunStop stop = new RunStop();
        stop.stop();

        var run = new NotifyRetentionService(
                        store, consumed, clock, Duration.ofDays(7), 500, Duration.ofSeconds(50), stop)
                .execRetention();

        assertThat(asked).isEmpty();
        assertThat(recordsAsked).isEmpty();
        assertThat(run.budgetSpent()).isFalse();
        assertThat(run.batches()).isZero();
    }
}
