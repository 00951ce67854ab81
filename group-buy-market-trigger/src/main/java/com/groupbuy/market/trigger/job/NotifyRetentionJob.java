package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import java.util.Locale;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * XXL-Job handler {@code notifyRetentionJob}: deletes delivered callback tasks (and their attempts) older than
 * {@code gbm.notify.retention.age}, then our consumers' records of messages that succeeded before then. No parameter; run it on one executor (FIRST or any single route).
 */
@Slf4j
@Component
public class NotifyRetentionJob {

    private final NotifyRetentionService retentionService;
    private final XxlRunFailures failures;

    /** {@code outageOf}: which failures are outages, logged once per outage rather than once per run. */
    public NotifyRetentionJob(NotifyRetentionService retentionService, OutageOf outageOf) {
        this.retentionService = retentionService;
        this.failures = new XxlRunFailures("notifyRetentionJob", outageOf);
    }

    @XxlJob("notifyRetentionJob")
    public void notifyRetentionJob() {
        if (NoParameter.refused("notifyRetentionJob")) {
            return; // refused and reported by NoParameter
        }
        try {
            NotifyRetentionSummary summary = retentionService.execRetention();
            // Locale.ROOT: ASCII digits on every host; the console shows this line and operators grep it.
            String line = String.format(
                    Locale.ROOT,
                    "notifyRetentionJob deleted=%d batches=%d records=%d budgetSpent=%s",
                    summary.deletedTasks(),
                    summary.batches(),
                    summary.deletedRecords(),
                    summary.budgetSpent());
            failures.completed();
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
