package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code groupBuyNotifyJob}'s parameter is empty, a team id or a deliver-now filter. Anything else was taken for a
 * team id: a typo ({@code dry-run}, {@code deliver all}, {@code 123456789}) "succeeded" with nothing claimed, and a
 * megabyte of text went whole into a query and the logs. It must be refused, saying what is accepted.
 */
class NotifyJobParameterTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        JobRun.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dry-run", "deliver all", "123456789", "12a", "-1", "1\n2"})
    void aParameterThatIsNeitherATeamIdNorAFilterIsRefused(String param) throws Exception {
        XxlJobContext context = JobRun.start(dir, param);

        // No services at all: a run that went past the parameter would fail on them, not be refused.
        new GroupBuyNotifyJob(null, null, failure -> null).groupBuyNotifyJob();

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).contains("refused").contains("team id (up to 8 digits)");
        assertThat(JobRun.log(dir)).contains("refused").contains("nothing run");
    }

    @ParameterizedTest
    @ValueSource(ints = {10_000, 1_000_000})
    void aHugeParameterIsRefusedAndNotEchoedWhole(int length) throws Exception {
        XxlJobContext context = JobRun.start(dir, "7".repeat(length));

        new GroupBuyNotifyJob(null, null, failure -> null).groupBuyNotifyJob();

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).hasSizeLessThan(400);
        assertThat(JobRun.logSize(dir)).isLessThan(1000);
    }

    /**
     * A filter field given twice is refused naming it, and nothing is moved or delivered. Before, the last one won:
     * {@code source=a,channel=c,source=b} made partner b's retries due (and delivered the shard), not a's.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "source=a,channel=c,source=b",
                "source=a,channel=c,channel=d",
                "all=true,all=false",
                "host=mall-a.example,HOST=mall-b.example",
                "source=a&channel=c&Source=a"
            })
    void aFilterFieldGivenTwiceIsRefusedNamingIt(String param) throws Exception {
        XxlJobContext context = runWithoutServices(param);

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).contains("refused").contains("given more than once");
        String field = param.substring(param.lastIndexOf(param.contains("&") ? '&' : ',') + 1, param.lastIndexOf('='));
        assertThat(context.getHandleMsg()).contains(field.toLowerCase() + ": given more than once");
        assertThat(JobRun.log(dir)).contains("refused: " + field.toLowerCase() + ": given more than once");
    }

    /**
     * A control character in a filter names no host and no partner (partners' ids refuse them). Before, the filter
     * was taken as given and written into the log line of the move ({@code notify deliver-now filter=...}) and the
     * run's result: a CR/LF forged a line of ours, an ESC drove the operator's terminal. Refused naming the field, and
     * nothing of it comes back raw; the admin endpoint's "deliver now" reads the same filter.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "source=s01\u001b[2J,channel=c01",
                "source=s01,channel=c0\u00001",
                "host=mall\u001b]0;owned\u0007.example",
                "host=mall\u0085forged",
                "source=s01,x\u001b[31mcolour=1"
            })
    void aFilterWithAControlCharacterIsRefusedAndNotEchoedRaw(String param) throws Exception {
        XxlJobContext context = runWithoutServices(param);

        JobRun.assertRefusedWithoutRawText(context, dir);
    }

    /**
     * A backslash ends a URL's host for the delivery client, whose reading of the host the filter compares:
     * {@code mall-a.example\x} would have moved mall-a.example's retries.
     */
    @Test
    void aHostWithABackslashIsRefused() {
        assertThatThrownBy(() -> DeliverNowParam.of("mall-a.example\\x", null, null, null))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s01\u001b[2J", "s01\r\n12:00:00.000 ERROR forged", "s01\u009b31m"})
    void theAdminEndpointsFilterRefusesAControlCharacterToo(String source) {
        assertThatThrownBy(() -> DeliverNowParam.of(null, source, "c01", null))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("source: holds a control character");
        assertThatThrownBy(() -> DeliverNowParam.of(source, null, null, null))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("host");
    }

    /**
     * {@code all} is {@code true} or {@code false} exactly, as on the admin endpoint. Before, {@code Boolean.valueOf}
     * read anything but "true" (in any case) as false: {@code all=yes,host=…} moved the host's retries as if every
     * partner's had not been asked for (failed on main: each ran past the parameter).
     */
    @ParameterizedTest
    @ValueSource(strings = {"all=yes,host=mall-a.example", "all=1,host=mall-a.example", "all=TRUE", "all=on", "all= "})
    void anAllThatIsNotExactlyTrueOrFalseIsRefused(String param) throws Exception {
        XxlJobContext context = runWithoutServices(param);

        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).contains("refused").contains("all: true or false");
        assertThat(JobRun.log(dir)).contains("refused: all: true or false");
    }

    /** A run of the job with no services: a run that went past the parameter fails on them (a NullPointerException). */
    private XxlJobContext runWithoutServices(String param) {
        XxlJobContext context = JobRun.start(dir, param);
        new GroupBuyNotifyJob(null, null, failure -> null).groupBuyNotifyJob();
        return context;
    }
}
