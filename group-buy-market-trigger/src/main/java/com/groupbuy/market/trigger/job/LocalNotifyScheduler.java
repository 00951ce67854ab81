package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps retries happening whenever no XXL-Job console drives the compensation job: none configured (the default
 * profile, a laptop), or one that does not accept our executor (wrong token, console down). Runs the same delivery
 * of due tasks every few seconds; stands by while a console drives us. Both at once is harmless: every task is
 * leased before it is sent.
 */
@Slf4j
@Component
@ConditionalOnProperty(
        prefix = "gbm.notify",
        name = "local-scheduler-enabled",
        havingValue = "true",
        matchIfMissing = true)
public class LocalNotifyScheduler {

    private final DueCallbackDeliveryService notifyService;
    private final LocalTakeover takeover;

    public LocalNotifyScheduler(DueCallbackDeliveryService notifyService, ObjectProvider<JobConsole> console) {
        this.notifyService = notifyService;
        this.takeover = new LocalTakeover("callback retries", console);
    }

    @Scheduled(
            fixedDelayString = "${gbm.notify.local-scheduler-delay:5s}",
            initialDelayString = "${gbm.notify.local-scheduler-delay:5s}")
    public void deliverDueTasks() {
        if (!takeover.localShouldRun()) {
            return;
        }
        try {
            NotifyRunSummary summary = notifyService.deliverAllDue();
            if (summary.claimed() > 0) {
                log.info("local notify run: {}", summary);
            }
        } catch (RuntimeException e) {
            log.error("local notify run failed; the next run retries", e);
        }
    }
}
