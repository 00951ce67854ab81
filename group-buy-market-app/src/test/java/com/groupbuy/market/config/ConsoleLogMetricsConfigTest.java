package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A console queue Logback cannot start (fewer than one line) would leave the service writing no log at all. */
class ConsoleLogMetricsConfigTest {

    @Test
    void aQueueSizeOutsideItsRangeRefusesTheStart() {
        for (int size : new int[] {0, -1, ConsoleLogMetricsConfig.MAX_QUEUE_SIZE + 1}) {
            assertThatThrownBy(() -> new ConsoleLogMetricsConfig(new SimpleMeterRegistry(), size))
                    .hasMessageStartingWith("refusing to start: gbm.logging.console-queue-size");
        }
    }

    @Test
    void theDroppedLinesAreAMeter() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new ConsoleLogMetricsConfig(meters, 1024);

        assertThat(meters.find("gbm.log.console.dropped").functionCounter()).isNotNull();
    }
}
