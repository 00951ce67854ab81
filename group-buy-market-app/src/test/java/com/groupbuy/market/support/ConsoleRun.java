package com.groupbuy.market.support;

import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;

/** One run of a console's job handler, as its executor starts it (shard 0 of 1), without an executor. */
public final class ConsoleRun {

    private ConsoleRun() {}

    /** Runs {@code handler} with {@code param}, its job log in {@code jobLogs}; what it reported to the console. */
    public static int of(Runnable handler, String param, Path jobLogs) {
        XxlJobContext context =
                new XxlJobContext(1, param, jobLogs.resolve("run.log").toString(), 0, 1);
        XxlJobContext.setXxlJobContext(context);
        try {
            handler.run();
            return context.getHandleCode();
        } finally {
            XxlJobContext.setXxlJobContext(null);
        }
    }
}
