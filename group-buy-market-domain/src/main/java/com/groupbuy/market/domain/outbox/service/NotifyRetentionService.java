package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.support.AgedRows;
import com.groupbuy.market.domain.support.JobLimits;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import lombok.extern.slf4j.Slf4j;

/**
 * Keeps the outbox small: delivered tasks (and their attempts) older than the retention age are deleted, a small
 * batch per statement so a run never holds many row locks or a long transaction beside live settlements. Tasks still
 * owed (init, retry) and failed tasks an operator may re-drive are never deleted.
 * <p>
 * Then, with what is left of the budget, the consumption records our own consumers kept of the messages this outbox
 * published ({@link #consumedRecords}): those that succeeded before the same age. Nothing else deleted them, and a
 * close check is published for every lock, so the table grew by a row (up to 1 KB of body) per order for good.
 */
@Slf4j
public class NotifyRetentionService {

    /**
     * The shortest retention age accepted: no setting deletes a delivered callback's history (its task and attempts)
     * sooner, so a slip of the unit ({@code 1m}, {@code 10s}) cannot wipe it at the next run.
     */
    public static final Duration MIN_AGE = Duration.ofDays(1);

    private final INotifyTaskRetention retention;
    /** The consumers' records that succeeded before the cut-off, deleted after the delivered tasks. */
    private final AgedRows consumedRecords;

    private final Clock clock;
    private final Duration age;
    private final int batchSize;
    private final Duration runBudget;
    /** The instance's stop: a run ends before its next batch (each batch is one statement, whole or not at all). */
    private final RunStop stop;

    public NotifyRetentionService(
            INotifyTaskRetention retention,
            AgedRows consumedRecords,
            Clock clock,
            Duration age,
            int batchSize,
            Duration runBudget,
            RunStop stop) {
        if (age.compareTo(MIN_AGE) < 0) {
            throw new IllegalArgumentException("gbm.notify.retention.age must be at least " + MIN_AGE.toDays()
                    + " day (a delivered callback's history is kept that long at least), was " + age);
        }
        this.retention = retention;
        this.consumedRecords = consumedRecords;
        this.clock = clock;
        this.age = age;
        this.batchSize = JobLimits.page("gbm.notify.retention.batch-size", batchSize);
        this.runBudget = JobLimits.budget("gbm.notify.retention.run-budget", runBudget);
        this.stop = stop;
    }

    /**
     * Deletes batch after batch until a batch comes back short, the run's budget is spent or the instance stops:
     * delivered tasks first, then consumption records.
     */
    public NotifyRetentionSummary execRetention() {
        Instant start = Instant.now(clock);
        // An age reaching back before the epoch keeps everything: this service writes every task's times from its
        // clock, so no task is that old. And the cutoff must not be bound: the database text of a time before year 1
        // names a year of an era, so an age of ten thousand years (3650000d, "keep for ever") asked MariaDB for the
        // tasks delivered before the year 7968 and deleted every delivered callback's history at the next run.
        if (age.compareTo(Duration.between(Instant.EPOCH, start)) >= 0) {
            log.info(
                    "notify retention: an age of {} reaches back before 1970; nothing is that old, nothing deleted",
                    age);
            return new NotifyRetentionSummary(0, 0, false, 0);
        }
        Instant cutoff = start.minus(age);
        Instant deadline = start.plus(runBudget);
        Pass tasks = deleteAll(retention::deleteDeliveredBefore, cutoff, deadline);
        Pass records = tasks.ended() ? Pass.NOT_RUN : deleteAll(consumedRecords, cutoff, deadline);
        NotifyRetentionSummary summary = new NotifyRetentionSummary(
                tasks.deleted(), tasks.batches(), tasks.budgetSpent() || records.budgetSpent(), records.deleted());
        if (summary.deletedTasks() > 0 || summary.deletedRecords() > 0 || summary.budgetSpent()) {
            log.info(
                    "notify retention before={} deleted={} batches={} records={} budgetSpent={}",
                    cutoff,
                    summary.deletedTasks(),
                    summary.batches(),
                    summary.deletedRecords(),
                    summary.budgetSpent());
        }
        return summary;
    }

    /** One kind of rows, a batch per call, until a batch comes back short, the budget is spent or the instance stops. */
    private Pass deleteAll(AgedRows rows, Instant cutoff, Instant deadline) {
        int deleted = 0, batches = 0;
        while (true) {
            if (!Instant.now(clock).isBefore(deadline)) {
                return new Pass(deleted, batches, true, false);
            }
            if (stop.stopping()) {
                log.info("notify retention ends after {} batches: the instance is stopping", batches);
                return new Pass(deleted, batches, false, true);
            }
            int n = rows.deleteBefore(cutoff, batchSize);
            batches++;
            deleted += n;
            if (n < batchSize) {
                return new Pass(deleted, batches, false, false);
            }
        }
    }

    /** What one kind of rows' deletion did, and whether it ended the run (budget spent, instance stopping). */
    private record Pass(int deleted, int batches, boolean budgetSpent, boolean stopped) {
        static final Pass NOT_RUN = new Pass(0, 0, false, false);

        boolean ended() {
            return budgetSpent || stopped;
        }
    }
}
