package com.groupbuy.market.config;

import static com.groupbuy.market.config.PartnerKeyedSettingsGuardTest.environment;
import static com.groupbuy.market.config.PartnerKeyedSettingsGuardTest.startWithoutServers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/**
 * Under {@code LANG=C} (or {@code POSIX}) the JVM decodes environment variables as US-ASCII: a callback secret
 * {@code GBM_NOTIFY_SECRETS_S01_C01=s01-密钥-0123456789abcdef} reaches the app with six U+FFFD for its two Chinese
 * characters (one per byte; checked with a JVM started so), and so does {@code s01-口令-0123456789abcdef}. The service
 * started and signed with that: the partner's check failed on every callback, ours refused every signed request, and
 * the secret was easier to guess than the one agreed. The start must stop, naming the setting (never the value) and
 * the way out.
 */
class UndecodedSettingsGuardTest {

    /** {@code s01-密钥-0123456789abcdef} (or {@code s01-口令-…}) as a JVM under LANG=C reads it from the environment. */
    private static final String UNDECODED = "s01-" + "\uFFFD".repeat(6) + "-0123456789abcdef";

    @Test
    void aSecretTheJvmCouldNotDecodeStopsTheStart() {
        StandardEnvironment environment = environment(Map.of("GBM_NOTIFY_SECRETS_S01_C01", UNDECODED), Map.of());
        // What main did with it: bound as the partner's secret, and the service started.
        assertThat(Binder.get(environment)
                        .bind("gbm.notify", NotifyProperties.class)
                        .get()
                        .secretOf("s01", "c01"))
                .isEqualTo(UNDECODED);

        assertThatThrownBy(() -> UndecodedSettingsGuard.check(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "refusing to start: text the JVM could not decode (U+FFFD) in GBM_NOTIFY_SECRETS_S01_C01:")
                .hasMessageContaining("LANG=C.UTF-8")
                .hasMessageNotContaining(UNDECODED);
    }

    @Test
    void aSettingWhosePlaceholderNamesAnUndecodedVariableStopsTheStart() {
        StandardEnvironment environment = environment(
                Map.of("ADMIN_TOKEN", UNDECODED),
                Map.of("gbm.admin.token", "${ADMIN_TOKEN}", "spring.datasource.password", "plain"));

        assertThatThrownBy(() -> UndecodedSettingsGuard.check(environment))
                .hasMessageContaining("(U+FFFD) in gbm.admin.token:");
    }

    @Test
    void decodedSettingsAndOthersVariablesStart() {
        StandardEnvironment environment = environment(
                Map.of("LS_COLORS", UNDECODED, "GBM_NOTIFY_SECRETS_S02_C02", "s3cret-密钥"),
                Map.of("gbm.notify.secrets.[S01].[C01]", "密钥-0123456789abcdef"));

        assertThatCode(() -> UndecodedSettingsGuard.check(environment)).doesNotThrowAnyException();
    }

    @Test
    void theRefusalComesBeforeAnythingStarts() {
        StandardEnvironment environment = environment(Map.of("GBM_NOTIFY_SECRETS_S01_C01", UNDECODED), Map.of());
        // Registered as an EnvironmentPostProcessor: the refusal comes before the (unreachable) database is tried.
        assertThatThrownBy(() -> startWithoutServers(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(U+FFFD) in GBM_NOTIFY_SECRETS_S01_C01:");
    }
}
