package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Closes timed-out locks and expired teams whenever no XXL-Job console drives {@code groupBuyTimeoutCloseJob}
 * (none configured, or one that does not accept our executor). Both at once is harmless: every change is guarded by
 * the state it starts from.
 */
@Slf4j
@Component
@ConditionalOnProperty(
        prefix = "gbm.timeout",
        name = "local-scheduler-enabled",
        havingValue = "true",
        matchIfMissing = true)
public class LocalTimeoutCloseScheduler {

    private final TradeTimeoutService timeoutService;
    private final LocalTakeover takeover;

    public LocalTimeoutCloseScheduler(TradeTimeoutService timeoutService, ObjectProvider<JobConsole> console) {
        this.timeoutService = timeoutService;
        this.takeover = new LocalTakeover("timeout close", console);
    }

    @Scheduled(
            fixedDelayString = "${gbm.timeout.local-scheduler-delay:10s}",
            initialDelayString = "${gbm.timeout.local-scheduler-delay:10s}")
    public void closeTimedOut() {
        if (!takeover.localShouldRun()) {
            return;
        }
        try {
            timeoutService.execTimeoutCloseJob();
        } catch (RuntimeException e) {
            log.error("local timeout close run failed; the next run retries", e);
        }
    }
}
