package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.tag.model.valobj.TagImportResult;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import java.util.Locale;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * XXL-Job handler {@code crowdTagImportJob}: the parameter is a batch id of {@code crowd_tags_job}, or a tag id
 * (its newest job that is not abandoned); {@code batch:<id>} or {@code tag:<id>} says which (required when the id is
 * both a batch id and another tag's). Loads the tag's members into its bitmap; safe to run again. A parameter that
 * names nothing runnable is refused (a WARN, the reason in the run's result); a run failing for an outage of the
 * database or Redis is logged once per outage as the other handlers' ({@link XxlRunFailures}), any other failure an
 * ERROR with its stack each time.
 */
@Slf4j
@Component
public class CrowdTagImportJob {

    private final CrowdTagImportService importService;
    private final XxlRunFailures failures;

    /** {@code outageOf}: which failures are outages, logged once per outage rather than once per run. */
    public CrowdTagImportJob(CrowdTagImportService importService, OutageOf outageOf) {
        this.importService = importService;
        this.failures = new XxlRunFailures("crowdTagImportJob", outageOf);
    }

    @XxlJob("crowdTagImportJob")
    public void crowdTagImportJob() {
        String param = XxlJobHelper.getJobParam() == null
                ? ""
                : XxlJobHelper.getJobParam().trim();
        // A batch id is at most 16 characters, a tag id 32 (their columns): a longer parameter names nothing, and
        // went whole into the queries, the refusal and the logs. Its batch: or tag: is not part of the id.
        if (CrowdTagImportService.idOf(param).length() > CrowdTagImportService.MAX_BATCH_OR_TAG_ID) {
            NoParameter.refuse("crowdTagImportJob refused: parameter '" + NoParameter.shown(param)
                    + "' is longer than a batch id or tag id (at most " + CrowdTagImportService.MAX_BATCH_OR_TAG_ID
                    + " characters); nothing run");
            return;
        }
        // Ids hold no control characters; the service's refusal quoted the parameter as given into the app log, the job
        // log and the run's result (a CR/LF forged a log line of ours).
        if (param.chars().anyMatch(Character::isISOControl)) {
            NoParameter.refuse("crowdTagImportJob refused: parameter '" + NoParameter.shown(param)
                    + "' holds a control character, which no batch id or tag id has; nothing run");
            return;
        }
        try {
            TagImportResult result = importService.importMembers(param);
            // Locale.ROOT: ASCII digits on every host; the console shows this line and operators grep it.
            String line = String.format(
                    Locale.ROOT,
                    "crowdTagImportJob tag=%s batch=%s members=%d batches=%d",
                    result.tagId(),
                    result.batchId(),
                    result.members(),
                    result.batches());
            failures.completed();
            XxlJobHelper.log(line);
            log.info(line);
            XxlJobHelper.handleSuccess(line);
        } catch (IllegalArgumentException e) {
            // A wrong parameter is the operator's to fix, not a fault: no stack trace.
            log.warn("crowdTagImportJob param='{}' refused: {}", NoParameter.shown(param), e.getMessage());
            XxlJobHelper.log("refused: " + e.getMessage());
            XxlJobHelper.handleFail("crowdTagImportJob refused: " + e.getMessage());
        } catch (RuntimeException e) {
            // An outage is the other handlers' WARN once (an ERROR with its stack every run before); anything else is
            // an ERROR naming the run's parameter, as before.
            failures.failed(e, "crowdTagImportJob param='" + NoParameter.shown(param) + "' failed");
        }
    }
}
