package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
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
 */
@Slf4j
public class NotifyRetentionService {

    /**
     * The shortest retention age accepted: no setting deletes a delivered callback's history (its task and attempts)
     * sooner, so a slip of the unit ({@code 1m}, {@code 10s}) cannot wipe it at the next run.
     */
    public static final Duration MIN_AGE = Duration.ofDays(1);

    private final INotifyTaskRetention retention;
    private final Clock clock;
    private final Duration age;
    private final int batchSize;
    private final Duration runBudget;
    private RunStop stop = new RunStop();

    public NotifyRetentionService(
            INotifyTaskRetention retention, Clock clock, Duration age, int batchSize, Duration runBudget) {
        if (age.compareTo(MIN_AGE) < 0) {
            throw new IllegalArgumentException("gbm.notify.retention.age must be at least " + MIN_AGE.toDays()
                    + " day (a delivered callback's history is kept that long at least), was " + age);
        }
        this.retention = retention;
        this.clock = clock;
        this.age = age;
        this.batchSize = JobLimits.page("gbm.notify.retention.batch-size", batchSize);
        this.runBudget = JobLimits.budget("gbm.notify.retention.run-budget", runBudget);
    }

    /** A stop of the instance ends a run before its next batch (each batch is one statement, whole or not at all). */
    public NotifyRetentionService stoppedBy(RunStop stop) {
        this.stop = stop;
        return this;
    }

    /** Deletes batch after batch until a batch comes back short, the run's budget is spent or the instance stops. */
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
            return new NotifyRetentionSummary(0, 0, false);
        }
        Instant deliveredBefore = start.minus(age);
        Instant deadline = start.plus(runBudget);
        int deleted = 0, batches = 0;
        boolean budgetSpent = false;
        while (true) {
            if (!Instant.now(clock).isBefore(deadline)) {
                budgetSpent = true;
                break;
            }
            if (stop.stopping()) {
                log.info("notify retention ends after {} batches: the instance is stopping", batches);
                break;
            }
            int n = retention.deleteDeliveredBefore(deliveredBefore, batchSize);
            batches++;
            deleted += n;
            if (n < batchSize) {
                break;
            }
        }
        NotifyRetentionSummary summary = new NotifyRetentionSummary(deleted, batches, budgetSpent);
        if (deleted > 0 || budgetSpent) {
            log.info(
                    "notify retention deliveredBefore={} deleted={} batches={} budgetSpent={}",
                    deliveredBefore,
                    deleted,
                    batches,
                    budgetSpent);
        }
        return summary;
    }
}
