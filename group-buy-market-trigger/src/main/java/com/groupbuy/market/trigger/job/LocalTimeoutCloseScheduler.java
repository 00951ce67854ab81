package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Closes timed-out locks and expired teams whenever no XXL-Job console drives {@code groupBuyTimeoutCloseJob}
 * (none configured, or one that does not accept our executor). Both at once is harmless: every change is guarded by
 * the state it starts from.
 * <p>
 * A console that holds our registration may still never run the job (not created, stopped, another JobHandler name);
 * the scheduler stood by all the same, and no team ever expired, no unpaid lock closed (with the delay path off, or
 * its checks lost), no place sweep ran. So while a console drives us it still looks, each period, for a team or lock
 * overdue for longer than {@code gbm.timeout.local-takeover-after} (3 min: a console running the job every minute
 * never leaves one that long), and runs the job itself while there is one.
 */
@Component
@ConditionalOnProperty(
        prefix = "gbm.timeout",
        name = "local-scheduler-enabled",
        havingValue = "true",
        matchIfMissing = true)
public class LocalTimeoutCloseScheduler {

    private final TradeTimeoutService timeoutService;
    private final LocalTakeover takeover;
    private final Duration takeoverAfter;
    private final RunFailureLog failures;

    public LocalTimeoutCloseScheduler(
            TradeTimeoutService timeoutService,
            ObjectProvider<JobConsole> console,
            @Value("${gbm.timeout.local-takeover-after:3m}") Duration takeoverAfter,
            OutageOf outageOf) {
        this.timeoutService = timeoutService;
        this.takeover = new LocalTakeover("timeout close", console);
        this.takeoverAfter = takeoverAfter;
        this.failures = new RunFailureLog("local timeout close run", outageOf);
    }

    @Scheduled(
            fixedDelayString = "${gbm.timeout.local-scheduler-delay:10s}",
            initialDelayString = "${gbm.timeout.local-scheduler-delay:10s}")
    public void closeTimedOut() {
        try {
            if (!takeover.localShouldRun(
                    () -> timeoutService.leftOverdueFor(takeoverAfter),
                    "a team or an unpaid lock has been overdue",
                    takeoverAfter,
                    "groupBuyTimeoutCloseJob")) {
                failures.completed();
                return;
            }
            timeoutService.execTimeoutCloseJob();
            failures.completed();
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
