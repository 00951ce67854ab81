package com.groupbuy.market.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * {@code gbm.log.console.dropped}: console log lines the queue dropped while stdout was not read fast enough
 * ({@link ConsoleLogQueue}); anything above zero means a stalled or slow log reader lost operational lines. And the
 * queue's size checked: Logback does not start a queue of fewer than one line and then writes nothing at all, so such a
 * size refuses the start here instead of leaving the service silent.
 */
@Configuration
public class ConsoleLogMetricsConfig {

    static final int MAX_QUEUE_SIZE = 1_000_000;

    public ConsoleLogMetricsConfig(
            MeterRegistry meters, @Value("${gbm.logging.console-queue-size:1024}") int consoleQueueSize) {
        if (consoleQueueSize < 1 || consoleQueueSize > MAX_QUEUE_SIZE) {
            throw new IllegalStateException("refusing to start: gbm.logging.console-queue-size"
                    + " (GBM_LOGGING_CONSOLE_QUEUE_SIZE) is " + consoleQueueSize + "; give 1 to " + MAX_QUEUE_SIZE
                    + " log lines (Logback writes nothing from a queue it cannot start)");
        }
        // This bean holds the counter's reference: Micrometer keeps only a weak one.
        FunctionCounter.builder("gbm.log.console.dropped", this, config -> ConsoleLogQueue.dropped())
                .description("console log lines dropped while stdout was not read")
                .register(meters);
    }
}
