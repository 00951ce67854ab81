package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** gbm.notify.guard.max-concurrent-per-partner: 4 by default, from 1 to 10,000, else the start is refused. */
class NotifyGuardPropertiesTest {

    @Test
    void thePartnersCapIsFourByDefaultAndTakenWithinItsBounds() {
        NotifyGuardProperties properties = new NotifyGuardProperties();
        assertThat(properties.settings().maxConcurrentPerPartner()).isEqualTo(4);

        properties.setMaxConcurrentPerPartner(1);
        assertThat(properties.settings().maxConcurrentPerPartner()).isEqualTo(1);
        properties.setMaxConcurrentPerPartner(10_000);
        assertThat(properties.settings().maxConcurrentPerPartner()).isEqualTo(10_000);
    }

    @Test
    void aCapOutsideItsBoundsRefusesTheStart() {
        NotifyGuardProperties properties = new NotifyGuardProperties();
        for (int refused : new int[] {0, -1, 10_001}) {
            properties.setMaxConcurrentPerPartner(refused);
            assertThatThrownBy(properties::settings)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("gbm.notify.guard.max-concurrent-per-partner must be from 1 to 10000, was " + refused);
        }
    }
}
