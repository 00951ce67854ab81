package com.groupbuy.market.config;

import java.time.Duration;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/** One start-up line saying who drives callback retries, true to the settings (an operator reads it first). */
@Slf4j
@Configuration
public class JobSchedulingReport {

    public JobSchedulingReport(
            @Value("${xxl.job.admin.addresses:}") String adminAddresses,
            @Value("${xxl.job.executor.enabled:true}") boolean executorEnabled,
            @Value("${gbm.notify.local-scheduler-enabled:true}") boolean localEnabled,
            @Value("${gbm.notify.local-scheduler-delay:5s}") Duration localDelay) {
        String line = describe(executorEnabled && !adminAddresses.isBlank(), localEnabled, localDelay);
        if (localEnabled || executorEnabled && !adminAddresses.isBlank()) {
            log.info(line);
        } else {
            log.warn(line);
        }
    }

    static String describe(boolean console, boolean localEnabled, Duration localDelay) {
        if (console && localEnabled) {
            return "callback retries: the XXL-Job console drives them; the local scheduler takes over (every "
                    + every(localDelay) + ") while the executor is not registered, or while a callback is left due "
                    + "past gbm.notify.local-takeover-after";
        }
        if (console) {
            return "callback retries: the XXL-Job console drives them; local scheduler off, so nothing retries while "
                    + "the executor is not registered";
        }
        if (localEnabled) {
            return "callback retries: no XXL-Job console; local scheduler drives retries every " + every(localDelay);
        }
        return "callback retries: no XXL-Job console and the local scheduler is off (gbm.notify.local-scheduler-enabled"
                + "=false): callbacks are retried only when a run is triggered by hand";
    }

    private static String every(Duration delay) {
        return delay.toMillis() % 1000 == 0 ? delay.toSeconds() + "s" : delay.toMillis() + "ms";
    }
}
