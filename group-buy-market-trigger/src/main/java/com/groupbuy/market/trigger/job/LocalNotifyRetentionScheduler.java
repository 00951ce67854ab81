package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes old delivered callback tasks when no XXL-Job admin console drives {@code notifyRetentionJob} (the default
 * profile, a laptop). Off as soon as an admin address is configured.
 */
@Slf4j
@Component
@ConditionalOnExpression(
        "'${xxl.job.admin.addresses:}'.isEmpty() and ${gbm.notify.retention.local-scheduler-enabled:true}")
public class LocalNotifyRetentionScheduler {

    private final NotifyRetentionService retentionService;

    public LocalNotifyRetentionScheduler(NotifyRetentionService retentionService) {
        this.retentionService = retentionService;
    }

    @Scheduled(
            fixedDelayString = "${gbm.notify.retention.local-scheduler-delay:1h}",
            initialDelayString = "${gbm.notify.retention.local-scheduler-delay:1h}")
    public void deleteOldDeliveredTasks() {
        try {
            retentionService.execRetention();
        } catch (RuntimeException e) {
            log.error("local notify retention run failed; the next run retries", e);
        }
    }
}
