package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request body's time to arrive and an answer's time to be taken are bounded and servable: none (0) or hours would
 * give the slow callers back.
 */
class BodyDeadlineConfigTest {

    @Test
    void theDefaultIsTenSecondsAndTheBoundsAreKept() {
        assertThat(new HttpBodyProperties().getBodyReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BodyDeadlineConfig.checked(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
        assertThat(BodyDeadlineConfig.checked(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anAnswerHasThirtySecondsAndItsBoundRefusesTheStartNamingItsSetting() {
        assertThat(new HttpBodyProperties().getAnswerWriteTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(BodyDeadlineConfig.checked(Duration.ofMillis(100), "answer-write-timeout"))
                .isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> BodyDeadlineConfig.checked(Duration.ZERO, "answer-write-timeout"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.http.answer-write-timeout");
    }

    @Test
    void anUnboundedOrUnservableTimeoutRefusesTheStartNamingTheSetting() {
        for (Duration refused : new Duration[] {
            null, Duration.ZERO, Duration.ofMillis(99), Duration.ofMinutes(5).plusMillis(1)
        }) {
            assertThatThrownBy(() -> BodyDeadlineConfig.checked(refused))
                    .as(String.valueOf(refused))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gbm.http.body-read-timeout");
        }
    }
}
