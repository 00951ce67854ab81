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
