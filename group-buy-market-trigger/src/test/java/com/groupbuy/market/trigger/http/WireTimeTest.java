package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A partner's trade time: ASCII epoch milliseconds (13 digits at most) or a real UTC+8 time, never before 1970. */
class WireTimeTest {

    @Test
    void epochMillisecondsAreReadUpTo13AsciiDigits() {
        assertThat(WireTime.parseTradeTime("t", "0")).isEqualTo(Instant.EPOCH);
        assertThat(WireTime.parseTradeTime("t", " 1796637600000 ")).isEqualTo(Instant.ofEpochMilli(1796637600000L));
        assertThat(WireTime.parseTradeTime("t", "9999999999999")).isEqualTo(Instant.ofEpochMilli(9999999999999L));
        for (String refused : new String[] {"10000000000000", "01796637600000", "\uff11", "1\u0663", "-1", "+1"}) {
            assertRefused(refused);
        }
    }

    @Test
    void textIsARealTimeInUtc8FromTheEpochOn() {
        assertThat(WireTime.parseTradeTime("t", "2026-12-07 18:00:00"))
                .isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(WireTime.parseTradeTime("t", "1970-01-01 08:00:00")).isEqualTo(Instant.EPOCH);
        assertThat(WireTime.parseTradeTime("t", "9999-12-31 23:59:59"))
                .isEqualTo(Instant.parse("9999-12-31T15:59:59Z"));
        for (String refused : new String[] {
            "1970-01-01 07:59:59",
            "0000-06-01 12:00:00",
            "2026-02-30 10:00:00",
            "2026-12-07 24:00:00",
            "+10000-01-02 00:00:00",
            "2026-12-07T10:00:00",
            "2026-12-07 10:00",
            "２026-12-07 10:00:00",
            "",
            " "
        }) {
            assertRefused(refused);
        }
        assertThatThrownBy(() -> WireTime.parseTradeTime("outTradeTime", "1".repeat(33)))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("outTradeTime is longer than 32 characters");
    }

    @Test
    void aTimeIsWrittenAsTheTextItIsReadFrom() {
        assertThat(WireTime.format(Instant.parse("2026-12-07T10:00:00Z"))).isEqualTo("2026-12-07 18:00:00");
        assertThat(WireTime.format(null)).isNull();
    }

    private static void assertRefused(String value) {
        assertThatThrownBy(() -> WireTime.parseTradeTime("outTradeTime", value))
                .as("[%s]", value)
                .isInstanceOf(AppException.class)
                .hasMessageStartingWith("0002 illegal parameter: outTradeTime ");
    }
}
