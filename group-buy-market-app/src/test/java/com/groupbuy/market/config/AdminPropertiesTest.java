package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.trigger.http.admin.AdminToken;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code gbm.admin.*} as Spring Boot binds it: named operators, and a
 * bad digest or two operators with one token stopping the start with the key named.
 */
class AdminPropertiesTest {

    private static final String ALICE = HexFormat.of().formatHex(AdminToken.sha256("alice-token-0123456789"));
    private static final String BOB = HexFormat.of().formatHex(AdminToken.sha256("bob-token-0123456789"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Enabled.class);

    /** Not a @Configuration (one in test sources would be taken for the app's): it only enables the properties. */
    @EnableConfigurationProperties(AdminProperties.class)
    static class Enabled {}

    @Test
    void operatorsAreBoundAndKnownByTheirTokens() {
        runner.withPropertyValues(
                        "gbm.admin.token=shared-token-0123456789",
                        "gbm.admin.operators.alice=" + ALICE,
                        "gbm.admin.operators.bob=" + BOB)
                .run(context -> {
                    AdminToken tokens = context.getBean(AdminProperties.class).adminToken();
                    assertThat(tokens.holder("alice-token-0123456789").name()).isEqualTo("alice");
                    assertThat(tokens.holder("bob-token-0123456789").name()).isEqualTo("bob");
                    assertThat(tokens.holder("shared-token-0123456789").shared())
                            .isTrue();
                });
    }

    @Test
    void aBadDigestStopsTheStartNamingIt() {
        runner.withPropertyValues("gbm.admin.operators.alice=alice-token-0123456789")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("gbm.admin.operators.alice is not a SHA-256 hex digest")
                        .hasMessageNotContaining("alice-token-0123456789"));
    }

    @Test
    void twoOperatorsWithOneTokenStopTheStart() {
        runner.withPropertyValues("gbm.admin.operators.alice=" + ALICE, "gbm.admin.operators.bob=" + ALICE)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("gbm.admin.operators.bob and gbm.admin.operators.alice are the same"));
    }

    @Test
    void anAuditRetentionUnderNinetyDaysStopsTheStart() {
        runner.withPropertyValues("gbm.admin.audit.retention=89d")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("gbm.admin.audit.retention must be between 90 days"));
        runner.withPropertyValues("gbm.admin.audit.retention=90d")
                .run(context -> assertThat(context.getBean(AdminProperties.class)
                                .getAudit()
                                .getRetention())
                        .hasDays(90));
    }
}
