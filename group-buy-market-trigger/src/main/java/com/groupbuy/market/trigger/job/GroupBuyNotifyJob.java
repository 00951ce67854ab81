package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.model.valobj.DeliverNowResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.types.exception.AppException;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import java.util.Locale;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * XXL-Job handler {@code groupBuyNotifyJob}: no parameter delivers every due task of this executor's shard (id mod
 * shard total = shard index, for SHARDING_BROADCAST); a team id re-drives that team's pending task now; a "deliver
 * now" filter ({@code all}, {@code host=<host>}, {@code source=<s>,channel=<c>}) makes those waiting retries due,
 * then delivers this shard's due tasks.
 */
@Slf4j
@Component
public class GroupBuyNotifyJob {

    /** Longer than any filter an operator types; a longer parameter is refused before it is read. */
    private static final int MAX_PARAM = 512;

    private final DueCallbackDeliveryService notifyService;
    private final NotifyTaskOperations operations;
    private final XxlRunFailures failures;

    /** {@code outageOf}: which failures are outages, logged once per outage rather than once per run. */
    public GroupBuyNotifyJob(
            DueCallbackDeliveryService notifyService, NotifyTaskOperations operations, OutageOf outageOf) {
        this.notifyService = notifyService;
        this.operations = operations;
        this.failures = new XxlRunFailures("groupBuyNotifyJob", outageOf);
    }

    @XxlJob("groupBuyNotifyJob")
    public void groupBuyNotifyJob() {
        String teamId = XxlJobHelper.getJobParam() == null
                ? ""
                : XxlJobHelper.getJobParam().trim();
        // Anything else was taken for a team id: a typo "succeeded" with nothing claimed (team ids are up to 8
        // digits, as the admin endpoint checks), and a huge parameter went whole into a query and the logs.
        if (teamId.length() > MAX_PARAM
                || !(teamId.isEmpty() || DeliverNowParam.isFilter(teamId) || teamId.matches("[0-9]{1,8}"))) {
            NoParameter.refuse("groupBuyNotifyJob refused: parameter '" + NoParameter.shown(teamId)
                    + "' is none of: empty, a team id (up to 8 digits), all, host=<host>, "
                    + "source=<source>,channel=<channel>; nothing run");
            return;
        }
        JobShard shard = JobShard.ofRun("groupBuyNotifyJob");
        if (shard == null) {
            return; // refused and reported by JobShard
        }
        int shardTotal = shard.total();
        int shardIndex = shard.index();
        if (DeliverNowParam.isFilter(teamId)) {
            deliverNow(teamId, shardIndex, shardTotal);
            return;
        }
        try {
            NotifyRunSummary summary = teamId.isEmpty()
                    ? notifyService.deliverDueOfShard(shardIndex, shardTotal)
                    : notifyService.deliverTeamNow(teamId);
            // Locale.ROOT: ASCII digits on every host; the console shows this line and operators grep it.
            String line = String.format(
                    Locale.ROOT,
                    "groupBuyNotifyJob team=%s shard=%d/%d claimed=%d delivered=%d retried=%d failed=%d",
                    teamId.isEmpty() ? "*" : teamId,
                    shardIndex,
                    shardTotal,
                    summary.claimed(),
                    summary.delivered(),
                    summary.retried(),
                    summary.failed());
            failures.completed();
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }

    /** "Deliver now" by job parameter: move the filter's waiting retries to due, then deliver this shard's due tasks. */
    private void deliverNow(String param, int shardIndex, int shardTotal) {
        try {
            DeliverNowResult moved = operations.deliverNow(DeliverNowParam.parse(param));
            NotifyRunSummary summary = notifyService.deliverDueOfShard(shardIndex, shardTotal);
            // Locale.ROOT: ASCII digits on every host; the console shows this line and operators grep it.
            String line = String.format(
                    Locale.ROOT,
                    "groupBuyNotifyJob deliverNow=%s moved=%d shard=%d/%d claimed=%d delivered=%d "
                            + "retried=%d failed=%d",
                    moved.filter(),
                    moved.moved(),
                    shardIndex,
                    shardTotal,
                    summary.claimed(),
                    summary.delivered(),
                    summary.retried(),
                    summary.failed());
            failures.completed();
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (AppException e) {
            log.warn("groupBuyNotifyJob param='{}' refused: {}", NoParameter.shown(param), e.getInfo());
            XxlJobHelper.log("refused: " + e.getInfo());
            XxlJobHelper.handleFail("groupBuyNotifyJob refused: " + e.getInfo());
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }
}
