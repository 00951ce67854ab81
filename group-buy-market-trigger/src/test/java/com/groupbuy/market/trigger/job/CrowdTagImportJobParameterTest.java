package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code crowdTagImportJob}'s parameter is a batch id (up to 16 characters) or a tag id (up to 32). A longer one names
 * nothing; it went whole into two queries, the refusal and the logs (a megabyte pasted by mistake came back a
 * megabyte). It is refused before anything is read, shown shortened.
 */
class CrowdTagImportJobParameterTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        JobRun.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {33, 10_000, 1_000_000})
    void aParameterLongerThanAnyIdIsRefusedShortened(int length) throws Exception {
        XxlJobContext context = JobRun.start(dir, "t".repeat(length));

        // No service at all: a run that went past the parameter would fail on it, not be refused.
        new CrowdTagImportJob(null, failure -> null).crowdTagImportJob();

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg())
                .contains("refused")
                .contains("at most 32")
                .hasSizeLessThan(400);
        assertThat(JobRun.logSize(dir)).isLessThan(1000);
    }

    /**
     * Batch and tag ids hold no control characters. A parameter with one went to the import service, whose refusal
     * ("no crowd tag job for batch or tag ...") quoted it as given into the app log, the job log and the run's result:
     * a CR/LF forged a log line of ours. Refused before anything is read, shown without it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"t1\r\n12:00:00 ERROR forged", "t1\u001b[2J", "t1\u009b31m"})
    void aParameterWithAControlCharacterIsRefusedAndNotEchoedRaw(String param) throws Exception {
        XxlJobContext context = JobRun.start(dir, param);

        // No service at all: a run that went past the parameter would fail on it, not be refused.
        new CrowdTagImportJob(null, failure -> null).crowdTagImportJob();

        JobRun.assertRefusedWithoutRawText(context, dir);
        assertThat(context.getHandleMsg()).contains("control character");
    }
}
