package com.groupbuy.market.trigger.job;

import com.xxl.job.core.context.XxlJobHelper;
import lombok.extern.slf4j.Slf4j;

/**
 * Jobs that take no parameter refuse one. Ignoring it ran the whole job whatever the operator meant: {@code dry-run}
 * or {@code age=3650d} typed into {@code notifyRetentionJob} deleted history at the configured age all the same.
 */
@Slf4j
final class NoParameter {

    private NoParameter() {}

    /** True (and the run reported failed, the reason in its log) when the console sent a parameter. */
    static boolean refused(String job) {
        String param = XxlJobHelper.getJobParam();
        if (param == null || param.isBlank()) {
            return false;
        }
        refuse(job + " takes no parameter, got '" + shown(param) + "'; nothing run (clear the job's parameter)");
        return true;
    }

    /** The reason in the app log, the job log and the run's result, which the console shows. */
    static void refuse(String why) {
        log.warn(why);
        XxlJobHelper.log(why);
        XxlJobHelper.handleFail(why);
    }

    /** A parameter as shown back: shortened and on one line, it is the operator's text, not ours to log whole. */
    static String shown(String param) {
        // Every control character, C1 (U+0080-U+009F) too: \p{Cntrl} alone is ASCII's.
        String shown = param.strip().replaceAll("[\\p{Cntrl}\\u0080-\\u009f]", "?");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
