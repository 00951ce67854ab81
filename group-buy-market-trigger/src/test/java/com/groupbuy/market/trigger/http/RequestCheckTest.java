package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import org.junit.jupiter.api.Test;

/** An optional id (a lock's {@code teamId}): absent, a real id, or refused — never a missing required field. */
class RequestCheckTest {

    @Test
    void absentEmptyOrAsciiSpacesIsNone() {
        assertThat(RequestCheck.optionalText("teamId", null, 8)).isNull();
        assertThat(RequestCheck.optionalText("teamId", "", 8)).isNull();
        assertThat(RequestCheck.optionalText("teamId", "   ", 8)).isNull();
    }

    @Test
    void anIdIsKeptAsSent() {
        assertThat(RequestCheck.optionalText("teamId", "12345678", 8)).isEqualTo("12345678");
        assertThat(RequestCheck.optionalText("teamId", " 1234567", 8)).isEqualTo(" 1234567");
    }

    /**
     * A line separator or a text-direction mark in an id is refused naming it: a userId {@code "u1\u202Eevil"} was
     * stored and logged as sent (accepted on main), shown reversed after the mark on every screen that reads it.
     */
    @Test
    void aLineSeparatorOrTextDirectionMarkIsRefused() {
        for (char mark :
                new char[] {'\u2028', '\u2029', '\u061C', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069'}) {
            assertThatThrownBy(() -> RequestCheck.text("userId", "u1" + mark + "x", 32))
                    .as("U+%04X", (int) mark)
                    .isInstanceOf(AppException.class)
                    .hasMessageEndingWith(
                            "illegal parameter: userId contains a line separator or text-direction mark at position 2");
        }
        // Ordinary text around them stays an id: a zero-width joiner inside an emoji, a CJK id, an accented one.
        assertThat(RequestCheck.text("userId", "用户\u200D1é", 32)).isEqualTo("用户\u200D1é");
    }

    @Test
    void otherWhiteSpaceAloneIsRefusedAsWhatItIs() {
        for (String blank : new String[] {"\t", " \t ", "\u3000", "\u2003"}) {
            assertThatThrownBy(() -> RequestCheck.optionalText("teamId", blank, 8))
                    .as("%s", blank.codePoints().mapToObj(Integer::toHexString).toList())
                    .isInstanceOf(AppException.class)
                    .hasMessageContaining("teamId holds only white space")
                    .hasMessageNotContaining("required");
        }
    }
}
