package com.groupbuy.market.infrastructure.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The breaker's three states on a clock the test moves. */
class DependencyBreakerTest {

    private Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final DependencyBreaker breaker = new DependencyBreaker("redis", 3, Duration.ofSeconds(2), clock);
    private final IOException down = new IOException("connection refused");

    @Test
    void opensAfterTheThresholdOfFailuresInARowAndFailsFast() {
        breaker.failure(down);
        breaker.failure(down);
        assertThatCode(breaker::check).as("two failures: still closed").doesNotThrowAnyException();
        breaker.failure(down);

        assertThat(breaker.isOpen()).isTrue();
        assertThatThrownBy(breaker::check)
                .isInstanceOf(DependencyUnavailableException.class)
                .satisfies(e -> assertThat(((DependencyUnavailableException) e).getDependency())
                        .isEqualTo("redis"));
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        breaker.failure(down);
        breaker.failure(down);
        breaker.success();
        breaker.failure(down);
        breaker.failure(down);

        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void letsOneProbeThroughAfterTheOpenTimeAndClosesOnItsSuccess() {
        breaker.failure(down);
        breaker.failure(down);
        breaker.failure(down);
        now = now.plusSeconds(2);

        assertThatCode(breaker::check).as("the probe").doesNotThrowAnyException();
        assertThatThrownBy(breaker::check)
                .as("a second caller while the probe runs")
                .isInstanceOf(DependencyUnavailableException.class);
        breaker.success();

        assertThat(breaker.isOpen()).isFalse();
        assertThatCode(breaker::check).doesNotThrowAnyException();
    }

    @Test
    void aFailedProbeOpensItAgainForAnotherPeriod() {
        breaker.failure(down);
        breaker.failure(down);
        breaker.failure(down);
        now = now.plusSeconds(2);
        breaker.check();
        breaker.failure(down);

        assertThatThrownBy(breaker::check).isInstanceOf(DependencyUnavailableException.class);
        now = now.plusSeconds(2);
        assertThatCode(breaker::check).doesNotThrowAnyException();
    }
}
