package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code gbm.notify.run-budget}: zero or negative made every compensation run deliver nothing and report success,
 * so owed callbacks waited for good; {@code 50m} (meant 50 s) held the job thread most of an hour. Refused at start.
 */
class DueCallbackDeliverySettingsTest {

    @Test
    void aRunBudgetOutOfBoundsIsRefusedAtStart() {
        for (Duration budget : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(11))) {
            // Collaborators are never reached: the settings are checked first.
            assertThatThrownBy(() -> new DueCallbackDeliveryService(
                            null,
                            null,
                            new NotifyBackoff(List.of(Duration.ofMinutes(1)), 0, () -> 0.5),
                            Clock.systemUTC(),
                            "w",
                            Duration.ofSeconds(60),
                            100,
                            budget))
                    .as("budget " + budget)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.run-budget");
        }
    }
}
