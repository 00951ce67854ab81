package com.groupbuy.market.trigger.job;

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
}
