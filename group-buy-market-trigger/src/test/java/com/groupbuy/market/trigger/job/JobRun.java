package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.xxl.job.core.context.XxlJobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A job handler's run as the XXL-Job executor starts it: the operator's parameter, and the run's log in a folder. */
final class JobRun {

    private static final String LOG = "1.log";

    private JobRun() {}

    /** Sets the thread's job context for one run (undo with {@link #clear()}) and returns it. */
    static XxlJobContext start(Path logDir, String param) {
        XxlJobContext context = new XxlJobContext(1, param, logDir.resolve(LOG).toString(), 0, 1);
        XxlJobContext.setXxlJobContext(context);
        return context;
    }

    /** What the run wrote to its job log (the console's view of it). */
    static String log(Path logDir) throws IOException {
        return Files.readString(logDir.resolve(LOG));
    }

    static long logSize(Path logDir) throws IOException {
        return Files.size(logDir.resolve(LOG));
    }

    static void clear() {
        XxlJobContext.setXxlJobContext(null);
    }

    /**
     * The run was refused, and nothing of the operator's text came back raw: no control character in the run's result,
     * and every line of the job log one the executor wrote (a CR/LF in a parameter started a line of its own).
     */
    static void assertRefusedWithoutRawText(XxlJobContext context, Path logDir) throws IOException {
        assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
        assertThat(context.getHandleMsg()).contains("refused");
        assertThat(context.getHandleMsg().chars().noneMatch(Character::isISOControl))
                .as("no control character in the run's result: %s", context.getHandleMsg())
                .isTrue();
        assertThat(log(logDir).lines())
                .as("each line of the job log one of the executor's own, without a control character")
                .allMatch(line -> line.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} .*")
                        && line.chars().noneMatch(Character::isISOControl));
    }
}
