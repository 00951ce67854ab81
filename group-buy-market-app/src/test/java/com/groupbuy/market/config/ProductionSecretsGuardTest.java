package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.Application;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A real start on the prod profile stops at once, with the reason, when a secret is one everybody knows (the
 * database below does not exist: had the guard let the start go on, the error would be a connection failure).
 */
class ProductionSecretsGuardTest {

    @Test
    void prodWithTheDemoAdminTokenStopsBeforeAnythingStarts() {
        assertThatThrownBy(() -> prodStart(
                        "gbm.admin.token=admin_token_change_me", "XXL_JOB_ACCESS_TOKEN=a-long-random-secret-0123"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in prod")
                .hasMessageContaining(
                        "gbm.admin.token (GBM_ADMIN_TOKEN) is weak: 'admin_token_change_me' is publicly known")
                .hasMessageNotContaining("XXL_JOB_ACCESS_TOKEN");
    }

    /** A named operator's digest is checked as the shared token is: the digest of a known or empty token is known. */
    @Test
    void prodWithANamedOperatorsDigestOfAKnownTokenStopsBeforeAnythingStarts() {
        String strong = "XXL_JOB_ACCESS_TOKEN=a-long-random-secret-0123";
        // SHA-256 of "admin_token_change_me" and of "".
        assertThatThrownBy(() -> prodStart(
                        strong,
                        "gbm.admin.operators.alice=4d8dc2b2b6e0a7c5b3e2b8a4a0f3cd16b68d9cb6e2fcbd54f3a26ac8cc6e0fc6",
                        "gbm.admin.operators.bob="
                                + java.util.HexFormat.of()
                                        .formatHex(com.groupbuy.market.trigger.http.admin.AdminToken.sha256(
                                                "admin_token_change_me")),
                        "gbm.admin.operators.carol=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in prod")
                .hasMessageContaining("gbm.admin.operators.bob is the digest of a publicly known token")
                .hasMessageContaining("gbm.admin.operators.carol is the digest of an empty token")
                .hasMessageNotContaining("gbm.admin.operators.alice");
    }

    @Test
    void prodWithTheDefaultExecutorTokenStopsBeforeAnythingStarts() {
        assertThatThrownBy(() -> prodStart("XXL_JOB_ACCESS_TOKEN=default_token"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "xxl.job.admin.accessToken (XXL_JOB_ACCESS_TOKEN) is weak: 'default_token' is publicly known");
    }

    @Test
    void prodWithoutAnExecutorTokenStopsBeforeAnythingStarts() {
        assertThatThrownBy(() -> prodStart())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("xxl.job.admin.accessToken (XXL_JOB_ACCESS_TOKEN) is weak: it is empty");
    }

    /**
     * The dev profile (and the default one) ships the demo callback secret for s01/c01. Combined with prod
     * ({@code SPRING_PROFILES_ACTIVE=dev,prod}, or the value copied into {@code GBM_NOTIFY_SECRETS_S01_C01}) that
     * published secret signed partner s01/c01's callbacks and verified its requests in prod; the start went on.
     */
    @Test
    void prodWithTheDemoCallbackSecretStopsBeforeAnythingStarts() {
        String strong = "XXL_JOB_ACCESS_TOKEN=a-long-random-secret-0123";
        assertThatThrownBy(() -> start(new String[] {"dev", "prod"}, strong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in prod")
                .hasMessageContaining("gbm.notify.secrets.s01.c01 is publicly known");
        assertThatThrownBy(() -> prodStart(strong, "gbm.notify.secrets.[mall].[app]=test_secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.notify.secrets.mall.app is publicly known")
                .hasMessageNotContaining("test_secret");
    }

    /**
     * An empty callback secret ({@code GBM_NOTIFY_SECRETS_S01_C01=}) made every callback of that partner fail (the JDK
     * refuses an empty HMAC key) and refused its signed requests; a short one is guessed offline by any partner that
     * sees one signed message (the shared exchange carries every partner's), and then signs requests as that partner.
     * Prod went on starting with either; a partner with no key at all still gets unsigned callbacks.
     */
    @Test
    void prodWithAnEmptyOrShortCallbackSecretStopsBeforeAnythingStarts() {
        String strong = "XXL_JOB_ACCESS_TOKEN=a-long-random-secret-0123";
        assertThatThrownBy(() -> prodStart(strong, "gbm.notify.secrets.[mall].[app]="))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in prod")
                .hasMessageContaining("gbm.notify.secrets.mall.app is empty");
        assertThatThrownBy(() -> prodStart(strong, "gbm.notify.secrets.[mall].[app]=short-secret-15"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.notify.secrets.mall.app is shorter than 16 characters")
                .hasMessageNotContaining("short-secret-15");
    }

    private static void prodStart(String... properties) {
        start(new String[] {"prod"}, properties);
    }

    private static void start(String[] profiles, String... properties) {
        String[] all = new String[properties.length + 6];
        System.arraycopy(properties, 0, all, 0, properties.length);
        System.arraycopy(
                new String[] {
                    "DB_URL=jdbc:mysql://127.0.0.1:1/none",
                    "DB_USERNAME=none",
                    "DB_PASSWORD=none",
                    "REDIS_HOST=127.0.0.1",
                    "REDIS_PORT=1",
                    "xxl.job.executor.port=0"
                },
                0,
                all,
                properties.length,
                6);
        new SpringApplicationBuilder(Application.class)
                .profiles(profiles)
                .web(WebApplicationType.NONE)
                .properties(all)
                .run()
                .close();
    }
}
