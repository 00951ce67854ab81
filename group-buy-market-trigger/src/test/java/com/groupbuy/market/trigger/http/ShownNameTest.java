package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A caller's name as a refusal echoes it: quoted, printable ASCII only, at most 40 characters. */
class ShownNameTest {

    @Test
    void onlyPrintableAsciiIsShownAndNoQuoteOrBackslash() {
        assertThat(ShownName.of("userId")).isEqualTo("'userId'");
        assertThat(ShownName.of(" ~")).isEqualTo("' ~'");
        assertThat(ShownName.of("a\"b\\c")).isEqualTo("'a?b?c'");
        assertThat(ShownName.of("\u001f\u007f\u00e9\n")).isEqualTo("'????'");
        assertThat(ShownName.of("用户")).isEqualTo("'??'");
    }

    @Test
    void atMost40CharactersAreShown() {
        assertThat(ShownName.of("n".repeat(40))).isEqualTo("'" + "n".repeat(40) + "'");
        assertThat(ShownName.of("n".repeat(41))).isEqualTo("'" + "n".repeat(40) + "...'");
    }
}
