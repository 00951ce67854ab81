package com.groupbuy.market.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Configuration;

/**
 * {@code gbm.log.console.dropped}: console log lines the queue dropped while stdout was not read fast enough
 * ({@link ConsoleLogQueue}); anything above zero means a stalled or slow log reader lost operational lines.
 */
@Configuration
public class ConsoleLogMetricsConfig {

    public ConsoleLogMetricsConfig(MeterRegistry meters) {
        // This bean holds the counter's reference: Micrometer keeps only a weak one.
        FunctionCounter.builder("gbm.log.console.dropped", this, config -> ConsoleLogQueue.dropped())
                .description("console log lines dropped while stdout was not read")
                .register(meters);
    }
}
