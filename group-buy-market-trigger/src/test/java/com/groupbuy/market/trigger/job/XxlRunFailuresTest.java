package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.domain.support.AgedRows;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.trigger.support.LogEvents;
import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The XXL-Job handlers log their failed runs as the local schedulers do ({@link RunFailureLog}): a run failing for an
 * outage on every run is one WARN when it starts and one INFO when a run completes again, any other failure an ERROR
 * with its stack each time; and each failed run is still reported to the console (the run failed with the failure's
 * message, its stack in the run's job log). Before, every run during a database outage logged an ERROR with its stack.
 */
class XxlRunFailuresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final LogEvents events = new LogEvents(
            RunFailureLog.class, GroupBuyNotifyJob.class, GroupBuyTimeoutCloseJob.class, NotifyRetentionJob.class);
    /** Whether the runs' failures are an outage (the database down), as the app's resolver would say. */
    private final AtomicBoolean outage = new AtomicBoolean(true);

    private final OutageOf outageOf = failure -> outage.get() ? "database" : null;

    @AfterEach
    void clear() {
        JobRun.clear();
    }

    /** One handler (one run log) run four times while the database is down: one WARN, every run reported failed. */
    @ParameterizedTest
    @ValueSource(strings = {"groupBuyNotifyJob", "groupBuyTimeoutCloseJob", "notifyRetentionJob"})
    void runsFailingForAnOutageAreOneWarningAndEachIsReportedFailed(String job) throws Exception {
        Runnable handler = withoutServices(job);
        for (int run = 0; run < 4; run++) {
            XxlJobContext context = JobRun.start(dir, "");
            handler.run();
            assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
            assertThat(context.getHandleMsg()).startsWith(job + " failed: ");
        }

        assertThat(events.list()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
        assertThat(events.list().get(0).getFormattedMessage())
                .startsWith(job + " failed: database unavailable (NullPointerException");
        assertThat(events.list().get(0).getThrowableProxy())
                .as("no stack in the app log")
                .isNull();
        assertThat(JobRun.log(dir))
                .as("the console's job log keeps each run's stack")
                .contains("java.lang.NullPointerException");
    }

    @Test
    void aRunCompletingAfterTheOutageIsOneInfo() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        NotifyRetentionJob job = new NotifyRetentionJob(
                new NotifyRetentionService(
                        (before, limit) -> {
                            if (down.get()) {
                                throw new IllegalStateException("Connection refused");
                            }
                            return 0;
                        },
                        AgedRows.NONE,
                        Clock.systemUTC(),
                        Duration.ofDays(30),
                        100,
                        Duration.ofSeconds(5),
                        new RunStop()),
                outageOf);
        for (int run = 0; run < 3; run++) {
            JobRun.start(dir, "");
            job.notifyRetentionJob();
        }
        down.set(false);
        XxlJobContext context = JobRun.start(dir, "");
        job.notifyRetentionJob();

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_SUCCESS);
        List<ILoggingEvent> outageLines = events.list().stream()
                .filter(event -> event.getLevel() != Level.INFO
                        || event.getFormattedMessage().contains("completes again"))
                .toList();
        assertThat(outageLines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(outageLines.get(0).getFormattedMessage())
                .isEqualTo("notifyRetentionJob failed: database unavailable (IllegalStateException: Connection "
                        + "refused); the next runs retry, and once one completes that is logged");
        assertThat(outageLines.get(1).getFormattedMessage())
                .startsWith("notifyRetentionJob completes again: database was unavailable for 3 runs in ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"groupBuyNotifyJob", "groupBuyTimeoutCloseJob", "notifyRetentionJob"})
    void aFailureThatIsNoOutageIsAnErrorWithItsStackEachRun(String job) throws Exception {
        outage.set(false);
        Runnable handler = withoutServices(job);
        for (int run = 0; run < 2; run++) {
            XxlJobContext context = JobRun.start(dir, "");
            handler.run();
            assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        }

        assertThat(events.list()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
        assertThat(events.list().get(0).getThrowableProxy()).as("its stack").isNotNull();
    }

    /** One handler of the job, with no services: each run fails on them (a NullPointerException). */
    private Runnable withoutServices(String job) {
        return switch (job) {
            case "groupBuyNotifyJob" -> new GroupBuyNotifyJob(null, null, outageOf)::groupBuyNotifyJob;
            case "groupBuyTimeoutCloseJob" -> new GroupBuyTimeoutCloseJob(null, outageOf)::groupBuyTimeoutCloseJob;
            default -> new NotifyRetentionJob(null, outageOf)::notifyRetentionJob;
        };
    }
}
