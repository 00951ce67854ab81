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

    @Test
    void aForgedCookieIsNotValid() {
        ConsoleSession sessions = new ConsoleSession("unit-console-token-0123", Clock.fixed(NOW, ZoneOffset.UTC));
        String value = sessions.issue();

        assertThat(sessions.valid(value.substring(0, value.lastIndexOf('.') + 1) + "AAAA"))
                .isFalse();
        assertThat(sessions.valid("garbage")).isFalse();
        assertThat(new ConsoleSession("", Clock.fixed(NOW, ZoneOffset.UTC)).valid(value))
                .as("no token, no session")
                .isFalse();
    }

    /** A named operator's session's id is its random part too: the name is not part of what a sign-out records. */
    @Test
    void aNamedOperatorsSessionIdIsItsRandomPart() {
        ConsoleSession alice =
                ConsoleSession.ofOperator("alice", new byte[32], new byte[32], Clock.fixed(NOW, ZoneOffset.UTC));
        String value = alice.issue();

        String[] parts = value.split("\\.");
        assertThat(parts).hasSize(4);
        assertThat(alice.signed(value).id()).isEqualTo(parts[1]);
        assertThat(ConsoleSession.operatorOf(value)).isEqualTo("alice");
    }

    /** Cookies are at most 200 characters, 200 included (a cookie naming an operator of a long name). */
    @Test
    void aCookieOfUpTo200CharactersIsRead() {
        String name = "n".repeat(91);
        ConsoleSession operator =
                ConsoleSession.ofOperator(name, new byte[32], new byte[32], Clock.fixed(NOW, ZoneOffset.UTC));
        String value = operator.issue();

        assertThat(value).hasSize(200);
        assertThat(operator.signed(value)).isNotNull();
        assertThat(ConsoleSession.operatorOf(value)).isEqualTo(name);
        assertThat(ConsoleSession.operatorOf(value + "A")).isNull();
        assertThat(ConsoleSession.operatorOf("1.2.3")).isNull();
        assertThat(ConsoleSession.operatorOf("1.2.%%.4")).isNull();
        assertThat(ConsoleSession.operatorOf(null)).isNull();
    }

    @Test
    void theCookieIsHttpOnlySameSiteStrictAndSecureWhenAsked() {
        assertThat(ConsoleSession.setCookie("v", false))
                .isEqualTo("GBM_CONSOLE=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
        assertThat(ConsoleSession.setCookie("v", true))
                .isEqualTo("GBM_CONSOLE=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure");
        assertThat(ConsoleSession.clearCookie(false))
                .isEqualTo("GBM_CONSOLE=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        assertThat(ConsoleSession.clearCookie(true))
                .isEqualTo("GBM_CONSOLE=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
    }
}
