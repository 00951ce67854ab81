package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes old delivered callback tasks when no XXL-Job admin console drives {@code notifyRetentionJob} (the default
 * profile, a laptop). Off as soon as an admin address is configured.
 */
@Component
@ConditionalOnExpression(
        "'${xxl.job.admin.addresses:}'.isEmpty() and ${gbm.notify.retention.local-scheduler-enabled:true}")
public class LocalNotifyRetentionScheduler {

    private final NotifyRetentionService retentionService;
    private final RunFailureLog failures;

    public LocalNotifyRetentionScheduler(NotifyRetentionService retentionService, OutageOf outageOf) {
        this.retentionService = retentionService;
        this.failures = new RunFailureLog("local notify retention run", outageOf);
    }

    @Scheduled(
            fixedDelayString = "${gbm.notify.retention.local-scheduler-delay:1h}",
            initialDelayString = "${gbm.notify.retention.local-scheduler-delay:1h}")
    public void deleteOldDeliveredTasks() {
        try {
            retentionService.execRetention();
            failures.completed();
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
