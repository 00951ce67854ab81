package com.groupbuy.market.domain.outbox.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The outbox's delivery settings, checked as a whole when built, so a lease too short for its sends is refused before
 * any task is taken.
 */
class DeliverySettingsTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofSeconds(12);

    /**
     * {@code gbm.notify.run-budget}: zero or negative made every compensation run deliver nothing and report success,
     * so owed callbacks waited for good; {@code 50m} (meant 50 s) held the job thread most of an hour. Refused at
     * start.
     */
    @Test
    void aRunBudgetOutOfBoundsIsRefusedAtStart() {
        for (Duration budget : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(11))) {
            assertThatThrownBy(() -> DeliverySettings.builder(Duration.ofSeconds(60), 100, budget)
                            .build())
                    .as("budget " + budget)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.run-budget");
        }
    }

    /**
     * Tasks sent over HTTP that one lease statement takes: as many rounds of sends as fit in the lease with one send
     * window to spare, each round as many sends as go at once; at least one, at most the page.
     */
    @ParameterizedTest(name = "lease {0} s, window {1} s, page {2}, {3} at once: {4}")
    @CsvSource({
        // one send at a time
        "60, 12, 100, 1, 4",
        "60, 12, 3, 1, 3",
        "20, 12, 100, 1, 1",
        "300, 1, 100, 1, 100",
        // sent concurrently, a lease takes that many rounds of sends
        "60, 12, 250, 4, 16",
        "60, 12, 10, 4, 10",
        "20, 12, 250, 4, 1"
    })
    void batchesAreAsLargeAsFitInTheLeaseWithOneSendWindowToSpare(
            long leaseSeconds, long windowSeconds, int pageSize, int concurrency, int batch) {
        DeliverySettings settings = DeliverySettings.builder(
                        Duration.ofSeconds(leaseSeconds), pageSize, Duration.ofMinutes(1))
                .sendWindow(Duration.ofSeconds(windowSeconds))
                .httpConcurrency(concurrency)
                .build();

        assertThat(settings.claimBatch()).isEqualTo(batch);
    }

    @Test
    void aBudgetThatCouldOutlastTheLeaseIsRefused() {
        DeliverySettings.Builder settings =
                DeliverySettings.builder(LEASE, 100, Duration.ofMinutes(10)).sendWindow(WINDOW);
        assertThatThrownBy(() -> settings.sendBudget(new SendBudget(WINDOW, 1_000, Duration.ofSeconds(61)))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start at the send window (PT12S) and end within the lease (PT1M)");
        assertThatThrownBy(() -> settings.sendBudget(new SendBudget(Duration.ofSeconds(5), 1_000, WINDOW))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start at the send window (PT12S) and end within the lease (PT1M)");
    }

    @Test
    void noLaneAndWindowsOutsideTheLeaseAreRefused() {
        assertThatThrownBy(() -> settings().lanes(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runLanes must be at least 1");
        for (Duration window : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofSeconds(61))) {
            assertThatThrownBy(() -> settings().sendWindow(window).build())
                    .as("send window " + window)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the send window must be positive and no longer than the lease");
            assertThatThrownBy(() -> settings().batchWindow(window).build())
                    .as("batch window " + window)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the batch window must be positive and no longer than the lease");
        }
        assertThat(settings().sendWindow(LEASE).batchWindow(LEASE).build().sendWindow())
                .isEqualTo(LEASE);
    }

    /** What a call site that sets nothing but the lease, page and run budget gets: one task per lease, one lane. */
    @Test
    void unsetPartsTakeTheirDefaults() {
        DeliverySettings settings = settings().build();

        assertThat(settings.sendWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.batchWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.lanes()).isEqualTo(1);
        assertThat(settings.httpConcurrency()).isEqualTo(1);
        assertThat(settings.sendBudget()).isEqualTo(SendBudget.fixed(Duration.ofSeconds(30)));
        assertThat(settings.deferUnsent()).isFalse();
        assertThat(settings.claimBatch()).isEqualTo(1);
        assertThat(settings().sendWindow(WINDOW).build().batchWindow())
                .as("an MQ batch as long as one send")
                .isEqualTo(WINDOW);
        assertThat(settings().sendWindow(WINDOW).build().sendBudget()).isEqualTo(SendBudget.fixed(WINDOW));
    }

    @Test
    void aPageOrConcurrencyBelowOneCountsAsOne() {
        DeliverySettings settings = DeliverySettings.builder(LEASE, 0, Duration.ofMinutes(1))
                .sendWindow(WINDOW)
                .httpConcurrency(0)
                .build();

        assertThat(settings.pageSize()).isEqualTo(1);
        assertThat(settings.httpConcurrency()).isEqualTo(1);
        assertThat(settings.claimBatch()).isEqualTo(1);
    }

    private static DeliverySettings.Builder settings() {
        return DeliverySettings.builder(LEASE, 100, Duration.ofMinutes(1));
    }
}
