package com.groupbuy.market.trigger.job;

import com.xxl.job.core.context.XxlJobHelper;
import lombok.extern.slf4j.Slf4j;

/**
 * This executor's shard of a run, as the console sent it ({@code broadcastIndex} / {@code broadcastTotal}). A run
 * that names no shard (total 0, an older console; -1 outside a job) is the whole: 0 of 1. An index outside {@code 0..total-1} names no
 * row at all ({@code MOD(id, total) = index} never holds), so such a run is refused and reported failed instead of
 * "succeeding" with nothing done while its shard waits.
 */
@Slf4j
record JobShard(int index, int total) {

    /** The shard of the running job, or null after reporting the run failed (the reason in its log). */
    static JobShard ofRun(String job) {
        int total = XxlJobHelper.getShardTotal();
        int index = XxlJobHelper.getShardIndex();
        if (total < 1 && index < 1) {
            return new JobShard(0, 1);
        }
        if (total < 1 || index < 0 || index >= total) {
            String why = job + " refused: shard index " + index + " is outside 0.." + (total - 1) + " (shard total "
                    + total + "); nothing run";
            log.warn(why);
            XxlJobHelper.log(why);
            XxlJobHelper.handleFail(why);
            return null;
        }
        return new JobShard(index, total);
    }
}
