package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A team's {@code validTimeCountdown} is wire text: ASCII digits whatever the JVM's default locale. It was written with
 * {@code String.format("%02d…")}, which writes the digits of the default locale: on a host whose locale is Egyptian
 * Arabic, Persian or Thai with Thai digits every partner read {@code ٠٠:١٢:٣١} where the contract (and the OpenAPI
 * pattern) says {@code 00:12:31}.
 */
class TeamCountdownTest {

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "ar-EG", "fa-IR", "th-TH-u-nu-thai", "hi-IN-u-nu-deva", "tr-TR"})
    void theCountdownIsAsciiDigitsInEveryDefaultLocale(String locale) {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        TeamVO team = TeamVO.builder()
                .validEndTime(now.plusSeconds(100 * 3600 + 12 * 60 + 31))
                .build();
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(locale));

            assertThat(team.countdown(now)).isEqualTo("100:12:31");
            assertThat(team.countdown(now.plusSeconds(100 * 3600))).isEqualTo("00:12:31");
            assertThat(team.countdown(now.plusSeconds(200 * 3600))).isEqualTo("00:00:00");
        } finally {
            Locale.setDefault(before);
        }
    }
}
