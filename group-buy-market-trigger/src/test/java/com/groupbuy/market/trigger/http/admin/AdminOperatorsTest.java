package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named operators' credentials ({@code gbm.admin.operators.<name>} = the SHA-256 hex of the token): who a token is,
 * what the configuration may hold, and console sessions bound to their operator.
 */
class AdminOperatorsTest {

    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final String BOB = "bob-token-0123456789abcdef";
    private static final String SHARED = "shared-token-0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);

    private static String hex(String token) {
        return HexFormat.of().formatHex(AdminToken.sha256(token));
    }

    private static AdminToken both() {
        return new AdminToken(SHARED, Map.of("alice", hex(ALICE), "bob", hex(BOB).toUpperCase()));
    }

    @Test
    void aTokenIsItsOperatorsAndTheSharedOneIsNobodysInParticular() {
        AdminToken tokens = both();
        assertThat(tokens.holder(ALICE)).isEqualTo(new AdminToken.Operator("alice", false));
        assertThat(tokens.holder(BOB)).isEqualTo(new AdminToken.Operator("bob", false));
        assertThat(tokens.holder(SHARED).shared()).isTrue();
        assertThat(tokens.holder("wrong")).isNull();
        assertThat(tokens.holder(null)).isNull();
        assertThat(tokens.holder(hex(ALICE))).as("the digest is not the token").isNull();
        assertThat(tokens.caller((String) null)).as("no header, no session").isNull();
    }

    @Test
    void nothingConfiguredAdmitsNobody() {
        AdminToken none = new AdminToken("", Map.of());
        assertThat(none.admits("")).isFalse();
        assertThat(none.admits("anything")).isFalse();
    }

    @Test
    void aDigestThatIsNotOneStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> new AdminToken("", Map.of("alice", ALICE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.admin.operators.alice is not a SHA-256 hex digest")
                .hasMessageNotContaining(ALICE);
        assertThatThrownBy(() -> new AdminToken("", Map.of("alice", hex(ALICE).substring(1) + "g")))
                .hasMessageContaining("gbm.admin.operators.alice is not a SHA-256 hex digest");
        assertThatThrownBy(() -> new AdminToken("", Map.of("alice", "")))
                .hasMessageContaining("gbm.admin.operators.alice is not a SHA-256 hex digest");
    }

    @Test
    void aNameThatIsNotOneStopsTheStart() {
        assertThatThrownBy(() -> new AdminToken("", Map.of("Alice", hex(ALICE))))
                .hasMessageContaining("gbm.admin.operators.Alice: an operator's name");
        assertThatThrownBy(() -> new AdminToken("", Map.of("a".repeat(65), hex(ALICE))))
                .hasMessageContaining("an operator's name");
    }

    @Test
    void twoCredentialsThatAreOneTokenStopTheStartNamingBoth() {
        assertThatThrownBy(() -> new AdminToken(
                        "", Map.of("alice", hex(ALICE), "bob", hex(ALICE).toUpperCase())))
                .hasMessageContaining("gbm.admin.operators.bob and gbm.admin.operators.alice are the same token");
        assertThatThrownBy(() -> new AdminToken(SHARED, Map.of("alice", hex(SHARED))))
                .hasMessageContaining("gbm.admin.operators.alice and gbm.admin.token are the same token");
    }

    @Test
    void aConsoleSessionNamesItsOperatorAndNoOther() {
        byte[] key = new byte[32];
        AdminToken tokens = both();
        ConsoleSessions sessions = new ConsoleSessions(SHARED, tokens, () -> key, CLOCK);

        String alice = sessions.issue(tokens.holder(ALICE));
        assertThat(sessions.signed(alice).operator()).isEqualTo(new AdminToken.Operator("alice", false));
        String shared = sessions.issue(tokens.holder(SHARED));
        assertThat(sessions.signed(shared).operator().shared()).isTrue();
        assertThat(shared.split("\\."))
                .as("the shared token's cookie as it always was")
                .hasSize(3);

        // alice's cookie with bob's name in it: not bob's, not anybody's.
        String[] parts = alice.split("\\.");
        String renamed = parts[0] + "." + parts[1] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes()) + "." + parts[3];
        assertThat(sessions.signed(renamed)).isNull();
        assertThat(sessions.signed(parts[0] + "." + parts[1] + "." + parts[3]))
                .as("alice's without her name")
                .isNull();
    }

    @Test
    void anOperatorRemovedOrGivenANewTokenLosesTheirSessionsAndOnlyTheirs() {
        byte[] key = new byte[32];
        AdminToken tokens = both();
        ConsoleSessions before = new ConsoleSessions(SHARED, tokens, () -> key, CLOCK);
        String alice = before.issue(tokens.holder(ALICE));
        String bob = before.issue(tokens.holder(BOB));

        ConsoleSessions withoutBob =
                new ConsoleSessions(SHARED, new AdminToken(SHARED, Map.of("alice", hex(ALICE))), () -> key, CLOCK);
        assertThat(withoutBob.signed(bob)).isNull();
        assertThat(withoutBob.signed(alice)).isNotNull();

        ConsoleSessions bobsNewToken = new ConsoleSessions(
                SHARED,
                new AdminToken(SHARED, Map.of("alice", hex(ALICE), "bob", hex("bob-new-0123456789abcdef"))),
                () -> key,
                CLOCK);
        assertThat(bobsNewToken.signed(bob)).isNull();
        assertThat(bobsNewToken.signed(alice)).isNotNull();

        ConsoleSessions otherKey = new ConsoleSessions(SHARED, tokens, () -> new byte[] {1, 2, 3}, CLOCK);
        assertThat(otherKey.signed(alice))
                .as("signed with another service's key")
                .isNull();
    }

    /**
     * A cookie naming someone who is no operator was refused before the session key was read or a MAC computed, one
     * naming an operator after both: how long the refusal took told which names are operators. Both now read the key
     * once and compute one MAC.
     */
    @Test
    void aCookieNamingNoOperatorCostsWhatOneNamingAnOperatorDoes() {
        byte[] key = new byte[32];
        java.util.concurrent.atomic.AtomicInteger keyReads = new java.util.concurrent.atomic.AtomicInteger();
        AdminToken tokens = both();
        ConsoleSessions sessions = new ConsoleSessions(
                SHARED,
                tokens,
                () -> {
                    keyReads.incrementAndGet();
                    return key;
                },
                CLOCK);
        String[] parts = sessions.issue(tokens.holder(ALICE)).split("\\.");
        keyReads.set(0);

        for (String name : new String[] {"bob", "mallory"}) {
            String forged = parts[0] + "." + parts[1] + "."
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes()) + "."
                    + parts[3];
            assertThat(sessions.signed(forged)).as(name).isNull();
        }
        assertThat(keyReads.get())
                .as("the key read for the operator's name and for the stranger's alike")
                .isEqualTo(2);
    }

    /** Without named operators a cookie naming one is nobody's without the key being read (or made in Redis). */
    @Test
    void withoutNamedOperatorsACookieNamingOneNeverReadsTheKey() {
        ConsoleSessions sessions = new ConsoleSessions(
                SHARED,
                new AdminToken(SHARED, Map.of()),
                () -> {
                    throw new AssertionError("the key was read");
                },
                CLOCK);
        String named = "1893456000.bm9uY2U."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes()) + ".bWFj";
        assertThat(sessions.signed(named)).isNull();
    }

    /** Without the shared token no digest clashes with it, not even the empty token's. */
    @Test
    void withoutTheSharedTokenNoDigestIsItsDuplicate() {
        AdminToken tokens = new AdminToken("", Map.of("alice", hex("")));
        assertThat(tokens.isOperator("alice")).isTrue();
        assertThat(tokens.isOperator("bob")).isFalse();
        assertThat(tokens.isOperator(null)).isFalse();
    }

    @Test
    void aMissingDigestIsNamedAsNone() {
        java.util.Map<String, String> operators = new java.util.HashMap<>();
        operators.put("alice", null);
        assertThatThrownBy(() -> new AdminToken("", operators))
                .hasMessageContaining(
                        "gbm.admin.operators.alice is not a SHA-256 hex digest (64 hex digits; none given)");
        assertThatThrownBy(() -> new AdminToken("", Map.of("alice", "abc ")))
                .hasMessageContaining("(64 hex digits; 3 characters given)");
    }

    /**
     * Without a token shown, the caller is the operator of the request's console session, while they are one; a token
     * shown is judged alone.
     */
    @Test
    void theCallerIsTheTokensHolderElseTheSessionsOperator() {
        AdminToken tokens = both();
        org.springframework.mock.web.MockHttpServletRequest request =
                new org.springframework.mock.web.MockHttpServletRequest();
        try {
            org.springframework.web.context.request.RequestContextHolder.setRequestAttributes(
                    new org.springframework.web.context.request.ServletRequestAttributes(request));
            assertThat(tokens.caller((String) null)).isNull();
            request.setAttribute(AdminToken.SESSION_OPERATOR, new AdminToken.Operator("alice", false));
            assertThat(tokens.caller((String) null)).isEqualTo(new AdminToken.Operator("alice", false));
            assertThat(tokens.caller(request)).isEqualTo(new AdminToken.Operator("alice", false));
            assertThat(tokens.caller(BOB)).isEqualTo(new AdminToken.Operator("bob", false));
            assertThat(tokens.caller("wrong"))
                    .as("a wrong token is not made good by a session")
                    .isNull();

            request.setAttribute(AdminToken.SESSION_OPERATOR, new AdminToken.Operator("carol", false));
            assertThat(tokens.caller((String) null)).as("no longer an operator").isNull();
            assertThat(tokens.caller(request)).isNull();
            request.setAttribute(AdminToken.SESSION_OPERATOR, "alice");
            assertThat(tokens.caller((String) null)).isNull();
            assertThat(tokens.caller(request)).isNull();
        } finally {
            org.springframework.web.context.request.RequestContextHolder.resetRequestAttributes();
        }
    }

    @Test
    void theRefusalIs403WithTheEnvelopeAndALogLineNamesWhoActed() {
        org.springframework.http.ResponseEntity<com.groupbuy.market.api.response.Response<Void>> refusal =
                AdminToken.refusal();
        assertThat(refusal.getStatusCode().value()).isEqualTo(403);
        assertThat(refusal.getBody().getCode()).isEqualTo("0002");
        assertThat(refusal.getBody().getInfo()).isEqualTo("admin token missing or wrong");

        assertThat(new AdminToken.Operator("alice", false).shown()).isEqualTo("alice");
        assertThat(AdminToken.Operator.SHARED.shown()).isEqualTo("(holder of gbm.admin.token)");
    }
}
