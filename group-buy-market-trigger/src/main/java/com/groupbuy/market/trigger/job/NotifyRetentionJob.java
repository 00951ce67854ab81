package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRetentionSummary;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
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

    public NotifyRetentionJob(NotifyRetentionService retentionService) {
        this.retentionService = retentionService;
    }

    @XxlJob("notifyRetentionJob")
    public void notifyRetentionJob() {
        if (NoParameter.refused("notifyRetentionJob")) {
            return; // refused and reported by NoParameter
        }
        try {
            NotifyRetentionSummary summary = retentionService.execRetention();
            String line = String.format(
                    "notifyRetentionJob deleted=%d batches=%d records=%d budgetSpent=%s",
                    summary.deletedTasks(), summary.batches(), summary.deletedRecords(), summary.budgetSpent());
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (RuntimeException e) {
            log.error("notifyRetentionJob failed", e);
            XxlJobHelper.log(e);
            XxlJobHelper.handleFail("notifyRetentionJob failed: " + e.getMessage());
        }
    }
}
