package com.groupbuy.market.types.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTextTest {

    @Test
    void whatAScreenWouldActOnIsWrittenAsItsEscape() {
        assertThat(LogSafeText.of("ok\r\nINFO forged\u001b[2J\u2028\\end"))
                .isEqualTo("ok\\u000d\\u000aINFO forged\\u001b[2J\\u2028\\u005cend");
    }

    @Test
    void printableTextAndNullPassAsTheyAre() {
        assertThat(LogSafeText.of("success 成功 ✓")).isEqualTo("success 成功 ✓");
        assertThat(LogSafeText.of(null)).isNull();
    }
}
