package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The session cookie's id (what a sign-out records) is its random part, and only a valid cookie has one. */
class ConsoleSessionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aValidCookieNamesItsRandomPartAndExpiryAndEachSessionHasItsOwn() {
        ConsoleSession sessions = new ConsoleSession("unit-console-token-0123", Clock.fixed(NOW, ZoneOffset.UTC));
        String value = sessions.issue();
        String other = sessions.issue();

        ConsoleSession.Signed signed = sessions.signed(value);
        assertThat(signed).isNotNull();
        assertThat(signed.id()).isEqualTo(value.split("\\.")[1]).hasSize(22);
        assertThat(signed.expiry()).isEqualTo(NOW.plus(Duration.ofHours(8)));
        assertThat(sessions.signed(other).id()).isNotEqualTo(signed.id());
    }

    @Test
    void aForgedExpiredOrForeignCookieHasNoSession() {
        ConsoleSession sessions = new ConsoleSession("unit-console-token-0123", Clock.fixed(NOW, ZoneOffset.UTC));
        String value = sessions.issue();
        String forged = value.substring(0, value.length() - 2) + (value.endsWith("AA") ? "BB" : "AA");
        ConsoleSession later = new ConsoleSession(
                "unit-console-token-0123", Clock.fixed(NOW.plus(Duration.ofHours(9)), ZoneOffset.UTC));
        ConsoleSession rotated = new ConsoleSession("another-token-0123456", Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(sessions.signed(forged)).isNull();
        assertThat(later.signed(value)).as("expired").isNull();
        assertThat(rotated.signed(value)).as("token rotated").isNull();
        assertThat(sessions.signed("99999999999999999999." + value.substring(value.indexOf('.') + 1)))
                .isNull();
        assertThat(sessions.signed(null)).isNull();
        assertThat(sessions.valid(value)).isTrue();
    }
}
