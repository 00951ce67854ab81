package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the retention settings may ask for: never to delete a delivered callback's history within a day. */
class NotifyRetentionServiceTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
    private final List<Instant> asked = new ArrayList<>();
    private final INotifyTaskRetention store = (deliveredBefore, limit) -> {
        asked.add(deliveredBefore);
        return 0;
    };

    @Test
    void anAgeUnderADayIsRefusedAtStart() {
        for (Duration age : List.of(Duration.ofMillis(7), Duration.ofMinutes(1), Duration.ofHours(23), Duration.ZERO)) {
            assertThatThrownBy(() -> new NotifyRetentionService(store, clock, age, 500, Duration.ofSeconds(50)))
                    .as(age.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.retention.age");
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void aDayOrMoreDeletesOnlyWhatWasDeliveredBeforeThen() {
        new NotifyRetentionService(store, clock, Duration.ofDays(1), 500, Duration.ofSeconds(50)).execRetention();

        assertThat(asked).containsExactly(Instant.parse("2026-12-01T00:00:00Z"));
    }
}
