package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyBacklogRepository;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import java.time.Clock;
import java.time.Duration;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps retries happening whenever no XXL-Job console drives the compensation job: none configured (the default
 * profile, a laptop), or one that does not accept our executor (wrong token, console down). Runs the same delivery
 * of due tasks every few seconds; stands by while a console drives us. Both at once is harmless: every task is
 * leased before it is sent.
 * <p>
 * A console that holds our registration is not proof that it runs the job: the job may not exist, be stopped, name
 * another JobHandler, or the console's scheduler may be down while its registry answers. Before, the local scheduler
 * stood by all the same, and no instance retried any callback. So while a console drives us it still looks, each
 * period, for a task owed, not leased, and due for longer than {@code gbm.notify.local-takeover-after} (60 s; a
 * console running the job every 10 s never leaves one that long), and delivers the due tasks itself while there is
 * one. Built by {@code NotifyConfig} unless {@code gbm.notify.local-scheduler-enabled} is false; the takeover bound is
 * the bound {@code NotifyProperties}' (1 s to 24 h, refused at start otherwise).
 */
@Slf4j
public class LocalNotifyScheduler {

    private final DueCallbackDeliveryService notifyService;
    private final LocalTakeover takeover;
    private final INotifyBacklogRepository backlog;
    private final Clock clock;
    private final Duration takeoverAfter;
    private final RunFailureLog failures;

    /** {@code outageOf}: which failures are outages, logged once per outage rather than once per run. */
    public LocalNotifyScheduler(
            DueCallbackDeliveryService notifyService,
            ObjectProvider<JobConsole> console,
            INotifyBacklogRepository backlog,
            Clock clock,
            Duration takeoverAfter,
            OutageOf outageOf) {
        this.notifyService = notifyService;
        this.takeover = new LocalTakeover("callback retries", console);
        this.backlog = backlog;
        this.clock = clock;
        this.takeoverAfter = takeoverAfter;
        this.failures = new RunFailureLog("local notify run", outageOf);
    }

    @Scheduled(
            fixedDelayString = "${gbm.notify.local-scheduler-delay:5s}",
            initialDelayString = "${gbm.notify.local-scheduler-delay:5s}")
    public void deliverDueTasks() {
        try {
            if (!takeover.localShouldRun(
                    () -> backlog.anyLeftDue(clock.instant().minus(takeoverAfter)),
                    "a callback has been due",
                    takeoverAfter,
                    "groupBuyNotifyJob")) {
                failures.completed();
                return;
            }
            NotifyRunSummary summary = notifyService.deliverAllDue();
            failures.completed();
            if (summary.claimed() > 0) {
                log.info("local notify run: {}", summary);
            }
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }

    /** Whether its runs are failing for an outage of the database or Redis (logged once), none completed since. */
    public boolean inOutage() {
        return failures.inOutage();
    }
}
