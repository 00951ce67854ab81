package com.groupbuy.market.infrastructure.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The breaker's three states on a monotonic clock the test moves. */
class DependencyBreakerTest {

    /** Near the top of the range: the open time is measured across nanoTime's wrap. */
    private long nanos = Long.MAX_VALUE - 1_000_000_000L;

    private final DependencyBreaker breaker = new DependencyBreaker("redis", 3, Duration.ofSeconds(2), () -> nanos);
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
        nanos += Duration.ofSeconds(2).toNanos();

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
        nanos += Duration.ofSeconds(2).toNanos();
        breaker.check();
        breaker.failure(down);

        assertThatThrownBy(breaker::check).isInstanceOf(DependencyUnavailableException.class);
        nanos += Duration.ofSeconds(2).toNanos();
        assertThatCode(breaker::check).doesNotThrowAnyException();
    }

    /**
     * The open time is elapsed time, not the wall clock's: stepped back an hour by NTP right after the breaker opened,
     * the wall clock kept it open (no probe, every call E0401) for that hour on main. Seen on main with the breaker on
     * a wall clock stepped back an hour: the probe 300 ms after opening for 200 ms was refused.
     */
    @Test
    void theOpenTimeIsElapsedTimeWhateverTheWallClockDoes() throws Exception {
        DependencyBreaker real = new DependencyBreaker("redis", 1, Duration.ofMillis(200));
        real.failure(down);
        assertThatThrownBy(real::check).isInstanceOf(DependencyUnavailableException.class);
        Thread.sleep(300);
        assertThatCode(real::check)
                .as("the probe, 300 ms after opening for 200 ms")
                .doesNotThrowAnyException();
    }
}
