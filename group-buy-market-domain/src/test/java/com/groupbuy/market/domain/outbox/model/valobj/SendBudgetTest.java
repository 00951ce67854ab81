package com.groupbuy.market.domain.outbox.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The budget of one HTTP callback by its body: the base window plus the body's bytes at the minimum send rate, at most
 * the cap. With the defaults (a 12 s window, 32 KiB/s, a 60 s lease so a 48 s cap) a team's largest completion (990,040
 * bytes) gets about 42 s instead of the 12 s that cut it on any link slower than about 85 KB/s.
 */
class SendBudgetTest {

    private static final Duration WINDOW = Duration.ofSeconds(12);
    private static final SendBudget DEFAULTS = new SendBudget(WINDOW, 32 * 1024, Duration.ofSeconds(48));

    @Test
    void aBodyAddsItsTimeAtTheMinimumRateToTheWindow() {
        assertThat(DEFAULTS.of(0)).isEqualTo(WINDOW);
        // 32 KiB at 32 KiB/s: one second more.
        assertThat(DEFAULTS.of(32 * 1024)).isEqualTo(Duration.ofSeconds(13));
        // A millisecond's share of a byte rounds up: never less than the body needs.
        assertThat(DEFAULTS.of(1)).isEqualTo(WINDOW.plusMillis(1));
        assertThat(DEFAULTS.of(990_040)).isEqualTo(WINDOW.plusMillis(30_214));
        assertThat(DEFAULTS.capped(990_040)).isFalse();
    }

    @Test
    void aBodyTooBigForTheCapGetsTheCapAndSaysSo() {
        long big = 2_000_000;
        assertThat(DEFAULTS.needed(big)).isEqualTo(WINDOW.plusMillis(61_036));
        assertThat(DEFAULTS.capped(big)).isTrue();
        assertThat(DEFAULTS.of(big)).isEqualTo(Duration.ofSeconds(48));
        assertThat(DEFAULTS.extraFor(big)).isEqualTo(Duration.ofSeconds(36));
        // 36 s at 32 KiB/s.
        assertThat(DEFAULTS.largestBodyBytes()).isEqualTo(36L * 32 * 1024);
        assertThat(DEFAULTS.capped(DEFAULTS.largestBodyBytes())).isFalse();
        assertThat(DEFAULTS.capped(DEFAULTS.largestBodyBytes() + 33)).isTrue();
        // The body's own time at the minimum rate is not capped: what the breaker allows a call of it.
        assertThat(DEFAULTS.bodyTime(big)).isEqualTo(Duration.ofMillis(61_036));
    }

    @Test
    void theFixedBudgetIsTheWindowWhateverTheBody() {
        SendBudget fixed = SendBudget.fixed(WINDOW);
        assertThat(fixed.of(0)).isEqualTo(WINDOW);
        assertThat(fixed.of(16L << 20)).isEqualTo(WINDOW);
        assertThat(fixed.capped(16L << 20)).isFalse();
        assertThat(fixed.largestBodyBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(fixed.bodyTime(16L << 20)).isZero();
    }

    @Test
    void aTaskIsBudgetedByItsBodysUtf8Bytes() {
        String body = "{\"teamId\":\"t1\",\"outTradeNoList\":[\"订单é😀\"]}";
        long bytes = body.getBytes(StandardCharsets.UTF_8).length;
        assertThat(SendBudget.utf8Bytes(body)).isEqualTo(bytes);
        assertThat(SendBudget.utf8Bytes(null)).isZero();
        NotifyTaskVO task = NotifyTaskVO.builder().body(body).build();
        assertThat(DEFAULTS.of(task)).isEqualTo(DEFAULTS.of(bytes));
    }

    @Test
    void aBudgetThatCouldEndBeforeItsWindowIsRefused() {
        assertThatThrownBy(() -> new SendBudget(WINDOW, 1024, Duration.ofSeconds(11)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendBudget(WINDOW, 0, Duration.ofSeconds(48)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendBudget(Duration.ZERO, 1024, Duration.ofSeconds(48)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
