package com.groupbuy.market.types.mq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A short string is bounded in UTF-8 bytes, not characters: 255 bytes go on the wire, 256 never do. */
class AmqpShortStringTest {

    @Test
    void twoHundredFiftyFiveBytesFitAndOneMoreDoesNot() {
        assertThat(AmqpShortString.fits("q".repeat(AmqpShortString.MAX_BYTES))).isTrue();
        assertThat(AmqpShortString.fits("q".repeat(AmqpShortString.MAX_BYTES + 1)))
                .isFalse();
    }

    @Test
    void bytesCountNotCharacters() {
        // 85 CJK characters are 255 bytes; 86 are 258 although far fewer than 255 characters.
        assertThat(AmqpShortString.utf8Length("团".repeat(85))).isEqualTo(255);
        assertThat(AmqpShortString.fits("团".repeat(85))).isTrue();
        assertThat(AmqpShortString.fits("团".repeat(86))).isFalse();
        // An unpaired surrogate is written as one byte ('?'), as the client writes it.
        assertThat(AmqpShortString.utf8Length("a\ud800")).isEqualTo(2);
    }

    @Test
    void aFieldLeftOutFits() {
        assertThat(AmqpShortString.fits(null)).isTrue();
        assertThat(AmqpShortString.fits("")).isTrue();
    }
}
