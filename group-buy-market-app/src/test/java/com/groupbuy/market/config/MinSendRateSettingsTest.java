package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * {@code gbm.notify.min-send-rate}: bound at start, and the budget it gives each callback's body, at most the lease less
 * one send window. With the defaults a team's largest completion (990,040 bytes) gets its whole budget; a short lease
 * caps it, and the start says so instead of refusing.
 */
class MinSendRateSettingsTest {

    @Test
    void theRateIsWrittenAsASizePerSecond() {
        NotifyProperties notify = new Binder(
                        new MapConfigurationPropertySource(Map.of("gbm.notify.min-send-rate", "8KB")))
                .bind("gbm.notify", NotifyProperties.class)
                .get();
        assertThat(notify.sendBudget().minBytesPerSecond()).isEqualTo(8 * 1024);
        assertThat(new NotifyProperties().sendBudget().minBytesPerSecond()).isEqualTo(32 * 1024);
    }

    @Test
    void aRateOutsideItsBoundsRefusesTheStartNamingTheSetting() {
        NotifyProperties notify = new NotifyProperties();
        notify.setMinSendRate(DataSize.ofBytes(1023));
        assertThatThrownBy(notify::checkHttpTimeouts)
                .hasMessageContaining("gbm.notify.min-send-rate must be 1KB to 1GB (bytes per second), got 1023B");
        notify.setMinSendRate(DataSize.ofGigabytes(2));
        assertThatThrownBy(notify::checkHttpTimeouts).hasMessageContaining("gbm.notify.min-send-rate");
        notify.setMinSendRate(DataSize.ofKilobytes(1));
        notify.checkHttpTimeouts();
        notify.setMinSendRate(DataSize.ofGigabytes(1));
        notify.checkHttpTimeouts();
    }

    @Test
    void theBudgetEndsOneSendWindowBeforeTheLease() {
        NotifyProperties notify = new NotifyProperties();
        SendBudget budget = notify.sendBudget();
        assertThat(budget.base()).isEqualTo(Duration.ofSeconds(12));
        assertThat(budget.cap()).isEqualTo(Duration.ofSeconds(48));
        assertThat(budget.of(NotifyConfig.LARGEST_CALLBACK_BODY)).isEqualTo(Duration.ofMillis(42_214));
        assertThat(NotifyConfig.warnIfLeaseCapsTheLargestBody(budget)).isFalse();

        // A lease under two send windows leaves none to spare: every body gets the send window, as before.
        notify.setLease(Duration.ofSeconds(20));
        assertThat(notify.sendBudget().cap()).isEqualTo(Duration.ofSeconds(12));
        assertThat(NotifyConfig.warnIfLeaseCapsTheLargestBody(notify.sendBudget()))
                .isTrue();

        notify.setLease(Duration.ofSeconds(30));
        assertThat(notify.sendBudget().cap()).isEqualTo(Duration.ofSeconds(18));
        assertThat(notify.sendBudget().largestBodyBytes()).isEqualTo(6L * 32 * 1024);
    }
}
