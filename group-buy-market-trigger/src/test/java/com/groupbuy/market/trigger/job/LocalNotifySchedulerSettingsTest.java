package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * {@code gbm.notify.local-takeover-after} under a second (a negative one, or a bare {@code 60} read as 60 ms) made the
 * local scheduler run beside a working console at every period and warn that callbacks were left due (a negative one
 * counted tasks not yet due); over a day callbacks waited that long. On main each started.
 */
class LocalNotifySchedulerSettingsTest {

    @Test
    void aTakeoverBoundOutsideOneSecondToADayRefusesTheStart() {
        for (Duration refused :
                new Duration[] {Duration.ofSeconds(-60), Duration.ZERO, Duration.ofMillis(60), Duration.ofHours(25)}) {
            assertThatThrownBy(() -> scheduler(refused))
                    .as("%s", refused)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gbm.notify.local-takeover-after must be 1 s to 24 h")
                    .hasMessageContaining("got " + refused);
        }
        for (Duration taken : new Duration[] {Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(24)}) {
            assertThatCode(() -> scheduler(taken)).as("%s", taken).doesNotThrowAnyException();
        }
    }

    private static LocalNotifyScheduler scheduler(Duration takeoverAfter) {
        return new LocalNotifyScheduler(
                null,
                new StaticListableBeanFactory().getBeanProvider(JobConsole.class),
                null,
                Clock.systemUTC(),
                takeoverAfter);
    }
}
