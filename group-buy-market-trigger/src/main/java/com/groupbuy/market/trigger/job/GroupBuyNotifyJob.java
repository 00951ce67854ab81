package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.trade.service.notify.SettlementNotifyService;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * XXL-Job handler {@code groupBuyNotifyJob}: no parameter delivers every due task of this executor's shard (id mod
 * shard total = shard index, for SHARDING_BROADCAST); a team id re-drives that team's pending task now.
 */
@Slf4j
@Component
public class GroupBuyNotifyJob {

    private final SettlementNotifyService notifyService;

    public GroupBuyNotifyJob(SettlementNotifyService notifyService) {
        this.notifyService = notifyService;
    }

    @XxlJob("groupBuyNotifyJob")
    public void groupBuyNotifyJob() {
        String teamId = XxlJobHelper.getJobParam() == null ? "" : XxlJobHelper.getJobParam().trim();
        int shardTotal = Math.max(1, XxlJobHelper.getShardTotal());
        int shardIndex = Math.max(0, XxlJobHelper.getShardIndex());
        try {
            NotifyRunSummary summary = teamId.isEmpty()
                    ? notifyService.execSettlementNotifyJob(shardIndex, shardTotal)
                    : notifyService.execSettlementNotifyJob(teamId);
            String line = String.format("groupBuyNotifyJob team=%s shard=%d/%d claimed=%d delivered=%d retried=%d failed=%d",
                    teamId.isEmpty() ? "*" : teamId, shardIndex, shardTotal, summary.claimed(), summary.delivered(),
                    summary.retried(), summary.failed());
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (RuntimeException e) {
            log.error("groupBuyNotifyJob failed", e);
            XxlJobHelper.log(e);
            XxlJobHelper.handleFail("groupBuyNotifyJob failed: " + e.getMessage());
        }
    }
}
