package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import java.util.Locale;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * XXL-Job handler {@code groupBuyTimeoutCloseJob}: fails this shard's open teams past their validity end and closes
 * its unpaid locks past their limit (id mod shard total = shard index, for SHARDING_BROADCAST). Safe to run twice.
 * While the delay path (#15) is on it is the backstop, and {@code foundLate} says how many of those it had to close.
 */
@Slf4j
@Component
public class GroupBuyTimeoutCloseJob {

    private final TradeTimeoutService timeoutService;
    private final XxlRunFailures failures;

    /** {@code outageOf}: which failures are outages, logged once per outage rather than once per run. */
    public GroupBuyTimeoutCloseJob(TradeTimeoutService timeoutService, OutageOf outageOf) {
        this.timeoutService = timeoutService;
        this.failures = new XxlRunFailures("groupBuyTimeoutCloseJob", outageOf);
    }

    @XxlJob("groupBuyTimeoutCloseJob")
    public void groupBuyTimeoutCloseJob() {
        if (NoParameter.refused("groupBuyTimeoutCloseJob")) {
            return; // refused and reported by NoParameter
        }
        JobShard shard = JobShard.ofRun("groupBuyTimeoutCloseJob");
        if (shard == null) {
            return; // refused and reported by JobShard
        }
        int shardTotal = shard.total();
        int shardIndex = shard.index();
        try {
            TimeoutRunSummary summary = timeoutService.execTimeoutCloseJob(shardIndex, shardTotal);
            // Locale.ROOT: ASCII digits on every host; the console shows this line and operators grep it.
            String line = String.format(
                    Locale.ROOT,
                    "groupBuyTimeoutCloseJob shard=%d/%d expiredTeams=%d closedUnpaid=%d skipped=%d " + "foundLate=%d",
                    shardIndex,
                    shardTotal,
                    summary.expiredTeams(),
                    summary.closedUnpaid(),
                    summary.skipped(),
                    summary.foundLate());
            failures.completed();
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
