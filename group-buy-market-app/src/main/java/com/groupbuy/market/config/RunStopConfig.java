package com.groupbuy.market.config;

import com.groupbuy.market.domain.support.RunStop;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The background runs' stop ({@link RunStop}), told as the context starts closing: before Spring stops its lifecycle
 * beans, so the job scheduler's wait for a running job (up to {@code spring.lifecycle.timeout-per-shutdown-phase},
 * 30 s) ends as soon as the run ends what it holds, and before the XXL-Job executor joins its job threads.
 */
@Slf4j
@Configuration
public class RunStopConfig {

    @Bean
    public RunStop runStop() {
        return new RunStop();
    }

    @Bean
    public ApplicationListener<ContextClosedEvent> runStopOnClose(RunStop runStop, ApplicationContext context) {
        return event -> {
            if (event.getApplicationContext() == context) {
                log.info("stopping: background runs take no further page");
                runStop.stop();
            }
        };
    }
}
