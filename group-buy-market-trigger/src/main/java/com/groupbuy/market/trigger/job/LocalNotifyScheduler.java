package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.trade.service.notify.SettlementNotifyService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps retries happening when no XXL-Job admin console drives the compensation job (the default profile, a
 * laptop): runs the same delivery of due tasks every few seconds. Off as soon as an admin address is configured.
 */
@Slf4j
@Component
@ConditionalOnExpression("'${xxl.job.admin.addresses:}'.isEmpty() and ${gbm.notify.local-scheduler-enabled:true}")
public class LocalNotifyScheduler {

    private final SettlementNotifyService notifyService;

    public LocalNotifyScheduler(SettlementNotifyService notifyService) {
        this.notifyService = notifyService;
    }

    @Scheduled(fixedDelayString = "${gbm.notify.local-scheduler-delay:5s}", initialDelayString = "${gbm.notify.local-scheduler-delay:5s}")
    public void deliverDueTasks() {
        try {
            NotifyRunSummary summary = notifyService.execSettlementNotifyJob();
            if (summary.claimed() > 0) {
                log.info("local notify run: {}", summary);
            }
        } catch (RuntimeException e) {
            log.error("local notify run failed; the next run retries", e);
        }
    }
}
