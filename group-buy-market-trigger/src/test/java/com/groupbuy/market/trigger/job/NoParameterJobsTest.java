package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.domain.support.AgedRows;
import com.groupbuy.market.domain.support.RunStop;
import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A careless operator types a parameter into a job that takes none ({@code dry-run}, {@code age=30d}, a team id):
 * the run must be refused and say so in the job log, not run the whole job as if nothing had been asked - for
 * {@code notifyRetentionJob} that is deleting delivered callbacks' history when a preview was meant.
 */
class NoParameterJobsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        JobRun.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dry-run", "age=3650d", "0", "team-1;DROP TABLE notify_task"})
    void theRetentionJobRefusesAParameterAndDeletesNothing(String param) throws Exception {
        AtomicInteger deletes = new AtomicInteger();
        NotifyRetentionService service = retentionCounting(deletes);
        XxlJobContext context = JobRun.start(dir, param);

        new NotifyRetentionJob(service, failure -> null).notifyRetentionJob();

        assertThat(deletes).hasValue(0);
        assertRefused(context, "notifyRetentionJob", param);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dry-run", "team-1"})
    void theTimeoutJobRefusesAParameter(String param) throws Exception {
        XxlJobContext context = JobRun.start(dir, param);

        // No service at all: a run that went past the parameter would fail on it, not be refused.
        new GroupBuyTimeoutCloseJob(null, failure -> null).groupBuyTimeoutCloseJob();

        assertRefused(context, "groupBuyTimeoutCloseJob", param);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void noParameterOrBlanksRunTheJob(String param) {
        AtomicInteger deletes = new AtomicInteger();
        NotifyRetentionService service = retentionCounting(deletes);
        XxlJobContext context = JobRun.start(dir, param);

        new NotifyRetentionJob(service, failure -> null).notifyRetentionJob();

        assertThat(deletes).hasValue(1);
        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_SUCCESS);
    }

    /**
     * A run's result line is what the console shows and an operator's script greps: ASCII digits whatever the JVM's
     * default locale. The handlers wrote it with {@code String.format("%d")}, the default locale's digits: on an
     * Egyptian Arabic host a run's result read {@code deleted=٠ batches=١}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"en-US", "ar-EG", "fa-IR", "th-TH-u-nu-thai"})
    void aRunsResultLineHasAsciiDigitsInEveryDefaultLocale(String locale) throws Exception {
        NotifyRetentionService service = retentionCounting(new AtomicInteger());
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(locale));
            XxlJobContext context = JobRun.start(dir, "");

            new NotifyRetentionJob(service, failure -> null).notifyRetentionJob();

            String line = "notifyRetentionJob deleted=0 batches=1 records=0 budgetSpent=false";
            assertThat(context.getHandleMsg()).isEqualTo(line);
            assertThat(JobRun.log(dir)).contains(line);
        } finally {
            Locale.setDefault(before);
        }
    }

    /** The retention service over a store that only counts its deletes. */
    private static NotifyRetentionService retentionCounting(AtomicInteger deletes) {
        return new NotifyRetentionService(
                (before, limit) -> {
                    deletes.incrementAndGet();
                    return 0;
                },
                AgedRows.NONE,
                Clock.systemUTC(),
                Duration.ofDays(30),
                100,
                Duration.ofSeconds(5),
                new RunStop());
    }

    private void assertRefused(XxlJobContext context, String job, String param) throws Exception {
        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).contains(job).contains("takes no parameter");
        assertThat(JobRun.log(dir)).contains("takes no parameter").contains("nothing run");
    }
}
