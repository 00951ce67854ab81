package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyBackoffTest {

    @Test
    void defaultScheduleSpansAboutADayOverSixteenAttempts() {
        NotifyBackoff backoff = new NotifyBackoff(NotifyBackoff.DEFAULT_SCHEDULE, 0, () -> 0.5);

        Duration total = Duration.ZERO;
        for (int attempt = 1; backoff.retriesAfter(attempt); attempt++) {
            total = total.plus(backoff.delayAfter(attempt));
        }

        assertThat(backoff.maxAttempts()).isEqualTo(16);
        assertThat(backoff.retriesAfter(15)).isTrue();
        assertThat(backoff.retriesAfter(16)).isFalse();
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.delayAfter(15)).isEqualTo(Duration.ofHours(6));
        assertThat(total).isBetween(Duration.ofHours(24), Duration.ofHours(25));
    }

    @Test
    void aRedrivenTaskPastTheCapGetsTheScheduleAgain() {
        NotifyBackoff backoff = new NotifyBackoff(NotifyBackoff.DEFAULT_SCHEDULE, 0, () -> 0.5);

        assertThat(backoff.retriesAfter(17)).isTrue();
        assertThat(backoff.delayAfter(17)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.retriesAfter(31)).isTrue();
        assertThat(backoff.delayAfter(31)).isEqualTo(Duration.ofHours(6));
        assertThat(backoff.retriesAfter(32)).isFalse();
    }

    @Test
    void jitterStaysWithinItsBand() {
        List<Duration> schedule = List.of(Duration.ofSeconds(100));

        assertThat(new NotifyBackoff(schedule, 0.2, () -> 0.0).delayAfter(1)).isEqualTo(Duration.ofSeconds(80));
        assertThat(new NotifyBackoff(schedule, 0.2, () -> 0.999999).delayAfter(1))
                .isBetween(Duration.ofSeconds(119), Duration.ofSeconds(120));
        assertThat(new NotifyBackoff(schedule, 0.2, () -> 0.5).delayAfter(1)).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void jitterOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> new NotifyBackoff(List.of(Duration.ofSeconds(1)), 1.0, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScheduleNoPartnerCouldRecoverInIsRefusedAtStart() {
        // gbm.notify.backoff=15,15,30: Spring reads a bare number as milliseconds, and every task failed for good
        // within a tenth of a second of its first failure.
        assertThatThrownBy(
                        () -> new NotifyBackoff(List.of(Duration.ofMillis(15), Duration.ofMillis(30)), 0.2, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.notify.backoff")
                .hasMessageContaining("15s");
        assertThatThrownBy(() -> new NotifyBackoff(List.of(Duration.ZERO), 0.2, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NotifyBackoff(List.of(Duration.ofSeconds(-15)), 0.2, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NotifyBackoff(List.of(), 0.2, () -> 0.5))
                .as("no wait at all: one attempt, then FAIL")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWaitBeyondThirtyDaysIsRefusedAtStart() {
        // A retry in the year 2,700,000 could not even be written (times outside 1-9999 are refused before SQL).
        assertThatThrownBy(() -> new NotifyBackoff(List.of(Duration.ofDays(1_000_000_000L)), 0.2, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("30 days");
        assertThatThrownBy(() -> new NotifyBackoff(List.of(Duration.ofDays(30).plusSeconds(1)), 0, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        NotifyBackoff backoff = new NotifyBackoff(List.of(Duration.ofSeconds(1), Duration.ofDays(30)), 0, () -> 0.5);

        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofDays(30));
    }
}
