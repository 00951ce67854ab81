package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The timeout job's durations as an operator writes them. {@code gbm.timeout.unpaid-timeout=15} (meant as the usual
 * "15 minutes to pay") was bound as 15 milliseconds: every buyer's unpaid lock was closed by its close check within a
 * second of being taken, and the timeout job closed any older one, so buyers who paid were refused as late payments.
 * A bare number is minutes for the unpaid timeout and seconds for the expiry grace (its default, 60s, reads that way).
 */
class TimeoutPropertiesTest {

    @Test
    void aBareUnpaidTimeoutIsMinutes() {
        assertThat(bind(Map.of("gbm.timeout.unpaid-timeout", "15")).getUnpaidTimeout())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(bind(Map.of("gbm.timeout.unpaid-timeout", "3s")).getUnpaidTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(bind(Map.of()).getUnpaidTimeout()).isNull();
    }

    @Test
    void aBareExpiryGraceIsSeconds() {
        assertThat(bind(Map.of("gbm.timeout.expiry-grace", "60")).getExpiryGrace())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(bind(Map.of()).getExpiryGrace()).isEqualTo(Duration.ofSeconds(60));
    }

    private static TimeoutProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("gbm.timeout", TimeoutProperties.class);
    }
}
