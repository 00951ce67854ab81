package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Closes timed-out locks and expired teams when no XXL-Job admin console drives {@code groupBuyTimeoutCloseJob}
 * (the default profile, a laptop). Off as soon as an admin address is configured.
 */
@Slf4j
@Component
@ConditionalOnExpression("'${xxl.job.admin.addresses:}'.isEmpty() and ${gbm.timeout.local-scheduler-enabled:true}")
public class LocalTimeoutCloseScheduler {

    private final TradeTimeoutService timeoutService;

    public LocalTimeoutCloseScheduler(TradeTimeoutService timeoutService) {
        this.timeoutService = timeoutService;
    }

    @Scheduled(fixedDelayString = "${gbm.timeout.local-scheduler-delay:10s}",
            initialDelayString = "${gbm.timeout.local-scheduler-delay:10s}")
    public void closeTimedOut() {
        try {
            timeoutService.execTimeoutCloseJob();
        } catch (RuntimeException e) {
            log.error("local timeout close run failed; the next run retries", e);
        }
    }
}
