package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.AppException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A switch change names who asked: the audit row and the change's WARN line carry it. Only ASCII control characters
 * were refused, so a NEL (U+0085) or an 8-bit CSI (U+009B) went into both as sent.
 */
class SwitchOperatorNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"bob\u0085forged", "bob\u009b31m", "bob\u0080", "bob\u001b[2J", "bob\u007f", "bob\nx"})
    void anOperatorNameWithAControlCharacterIsRefused(String name) {
        assertThatThrownBy(() -> SwitchAdminController.operator(name))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("operator must name who asks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "ops team", "张三", "o'brien <oncall>"})
    void aPrintableOperatorNameIsKept(String name) {
        assertThat(SwitchAdminController.operator(name)).isEqualTo(name);
    }

    private static final String BOB_DIGEST = java.util.HexFormat.of().formatHex(AdminToken.sha256("bob-token-0123"));
    private final SwitchAdminController controller =
            new SwitchAdminController(null, new AdminToken("shared-token-0123", java.util.Map.of("bob", BOB_DIGEST)));

    @Test
    void aNamedOperatorIsAuditedAsThemselvesAndNeverAsAnother() {
        AdminToken.Operator bob = new AdminToken.Operator("bob", false);
        assertThat(controller.audited(bob, null)).isEqualTo("bob");
        assertThat(controller.audited(bob, " ")).isEqualTo("bob");
        assertThat(controller.audited(bob, "bob")).isEqualTo("bob");
        assertThatThrownBy(() -> controller.audited(bob, "alice"))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("operator is not the holder of this token or session (bob)");
    }

    @Test
    void theSharedTokensHolderNamesThemselvesButNotANamedOperator() {
        AdminToken.Operator shared = new AdminToken("shared-token-0123").holder("shared-token-0123");
        assertThat(controller.audited(shared, "carol")).isEqualTo("carol");
        assertThatThrownBy(() -> controller.audited(shared, null)).hasMessageContaining("operator must name who asks");
        assertThatThrownBy(() -> controller.audited(shared, "Bob")).hasMessageContaining("named operator");
    }

    /**
     * A name that reads as a named operator's is theirs too: a zero-width character, a no-break space, fullwidth
     * letters or a ligature passed the lower-case comparison, so the shared token's holder wrote a name shown as
     * "bob" into {@code dcc_switch_change}.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "bob\u200b",
                "\u200bbob",
                "b\u200dob",
                "\u00a0bob",
                "\uff42\uff4f\uff42",
                "BOB\u00ad",
                "bob\ufeff"
            })
    void theSharedTokensHolderCannotTakeANamedOperatorsNameInALookalikeSpelling(String name) {
        AdminToken.Operator shared = new AdminToken("shared-token-0123").holder("shared-token-0123");
        assertThatThrownBy(() -> controller.audited(shared, name)).hasMessageContaining("named operator");
    }

    /**
     * Letters of other scripts drawn like Latin ones: a Cyrillic or Greek o, a Cyrillic es for c, Cyrillic capitals
     * that show "BOB", a dotless i. NFKC keeps each as itself, so the shared token's holder wrote names that read as
     * "bob" and "pia" into the audit.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "b\u043eb",
                "b\u03bfb",
                "\u0412\u041e\u0412",
                "\u0392\u039f\u0392",
                "\u0440i\u0430",
                "p\u0131a",
                "p\u0456\u0251"
            })
    void theSharedTokensHolderCannotTakeANamedOperatorsNameInLettersOfAnotherScript(String name) {
        AdminToken.Operator shared = new AdminToken("shared-token-0123").holder("shared-token-0123");
        String piaDigest = java.util.HexFormat.of().formatHex(AdminToken.sha256("pia-token-0123"));
        SwitchAdminController withPia = new SwitchAdminController(
                null, new AdminToken("shared-token-0123", java.util.Map.of("bob", BOB_DIGEST, "pia", piaDigest)));
        assertThatThrownBy(() -> withPia.audited(shared, name)).hasMessageContaining("named operator");
    }

    /** Names in other scripts that read as no named operator's stay the holder's to give. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0421\u0435\u0440\u0433\u0435\u0439", "\u5f20\u4e09", "\u03b2\u03bf\u03b2\u03b1"})
    void aNameInAnotherScriptThatReadsAsNoNamedOperatorIsKept(String name) {
        AdminToken.Operator shared = new AdminToken("shared-token-0123").holder("shared-token-0123");
        assertThat(controller.audited(shared, name)).isEqualTo(name);
    }
}
