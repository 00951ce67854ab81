package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.Application;
import com.groupbuy.market.trigger.http.PartnerAddresses;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Partner-keyed settings written the documented environment-variable way ({@code GBM_NOTIFY_SECRETS_S01_C01}) are
 * lower-cased by Spring, while partner ids compare exactly: a key that can only have meant a partner named elsewhere
 * with other case or punctuation stops the start instead of being silently not applied.
 */
class PartnerKeyedSettingsGuardTest {

    @Test
    void anUpperCasePartnersSecretFromTheEnvironmentStopsTheStart() {
        StandardEnvironment environment = environment(
                Map.of("GBM_NOTIFY_SECRETS_S01_C01", "s3cret"), Map.of("gbm.trade.signature.required-for", "S01:C01"));
        // What main did with it: the secret is s01:c01's, partner S01:C01 has none (every signed request refused,
        // every callback unsigned), and nothing said so at start-up.
        NotifyProperties bound = Binder.get(environment)
                .bind("gbm.notify", NotifyProperties.class)
                .get();
        assertThat(bound.secretOf("S01", "C01")).isNull();
        assertThat(bound.secretOf("s01", "c01")).isEqualTo("s3cret");

        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.notify.secrets.s01.c01 (from an environment variable) applies to partner "
                        + "'s01:c01' only, but the configuration names partner 'S01:C01'")
                .hasMessageContaining("gbm.notify.secrets.[S01].[C01]=");
    }

    @Test
    void aRefundUrlFromTheEnvironmentForAPartnerWhoseGraceIsInYamlStopsTheStart() {
        StandardEnvironment environment = environment(
                Map.of("GBM_NOTIFY_REFUNDURLS_MALL_APP", "https://partner.example/refund"),
                Map.of("gbm.close-check.payment-grace.[Mall].[App]", "30s"));
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment))
                .hasMessageContaining("gbm.notify.refund-urls.mall.app (from an environment variable)")
                .hasMessageContaining("names partner 'Mall:App'");
    }

    @Test
    void aPaymentGraceFromTheEnvironmentForAPartnerWithADashStopsTheStart() {
        StandardEnvironment environment = environment(
                Map.of("GBM_CLOSECHECK_PAYMENTGRACE_S01_APPIOS", "30s"),
                Map.of("gbm.rate-limit.pairs", "s02:c02=3, s01:app-ios=5"));
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment))
                .hasMessageContaining("gbm.close-check.payment-grace.s01.appios")
                .hasMessageContaining("names partner 's01:app-ios'");
    }

    @Test
    void theEnvironmentVariableNamesTheDocsGaveForRefundUrlsAndGracesStopTheStart() {
        StandardEnvironment environment = environment(
                Map.of(
                        "GBM_NOTIFY_REFUND_URLS_S01_C01", "https://p.example/r",
                        "GBM_CLOSE_CHECK_PAYMENT_GRACE_S01_C01", "30s"),
                Map.of());
        // What main did with them: nothing at all, even for this lower-case partner (no refund callbacks, no grace).
        assertThat(Binder.get(environment)
                        .bindOrCreate("gbm.notify", NotifyRefundProperties.class)
                        .refundUrlOf("s01", "c01"))
                .isNull();
        assertThat(Binder.get(environment)
                        .bindOrCreate("gbm.close-check", CloseCheckProperties.class)
                        .getPaymentGrace())
                .isEmpty();

        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment))
                .hasMessageContaining("environment variable GBM_NOTIFY_REFUND_URLS_S01_C01 is never read: write it "
                        + "GBM_NOTIFY_REFUNDURLS_S01_C01")
                .hasMessageContaining("environment variable GBM_CLOSE_CHECK_PAYMENT_GRACE_S01_C01 is never read: write "
                        + "it GBM_CLOSECHECK_PAYMENTGRACE_S01_C01");
    }

    @Test
    void twoPartnersDifferingOnlyByCaseInYamlStopTheStartUnlessBracketed() {
        Map<String, Object> yaml = new java.util.LinkedHashMap<>();
        yaml.put("gbm.notify.refund-urls.Mall.App", "https://mall.example/refund");
        yaml.put("gbm.notify.refund-urls.mall.app", "https://other.example/refund");
        StandardEnvironment crossed = environment(Map.of(), yaml);
        // What main did: partner Mall:App's refund callbacks went to the other partner's URL.
        assertThat(Binder.get(crossed)
                        .bindOrCreate("gbm.notify", NotifyRefundProperties.class)
                        .refundUrlOf("Mall", "App"))
                .isEqualTo("https://other.example/refund");
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(crossed))
                .hasMessageContaining("gbm.notify.refund-urls.Mall.App is read as another partner's")
                .hasMessageContaining("gbm.notify.refund-urls.[Mall].[App]=");

        StandardEnvironment bracketed = environment(
                Map.of(),
                Map.of(
                        "gbm.notify.secrets.[Mall].[App]", "one",
                        "gbm.notify.secrets.[mall].[app]", "two",
                        "gbm.notify.secrets.s01.c01", "demo"));
        assertThat(PartnerKeyedSettingsGuard.check(bracketed)).isEmpty();
    }

    /**
     * A partner's addresses are partner-keyed too: read as another partner's, one partner's unsigned requests would be
     * admitted from the other's addresses (or refused from its own).
     */
    @Test
    void aPartnersAddressesAreCheckedLikeTheOtherPartnerKeyedSettings() {
        Map<String, Object> yaml = new java.util.LinkedHashMap<>();
        yaml.put("gbm.trade.partner-addresses.Mall.App", "192.0.2.1");
        yaml.put("gbm.trade.partner-addresses.mall.app", "198.51.100.0/24");
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment(Map.of(), yaml)))
                .hasMessageContaining("gbm.trade.partner-addresses.Mall.App is read as another partner's")
                .hasMessageContaining("gbm.trade.partner-addresses.[Mall].[App]=");

        Map<String, Object> lists = new java.util.LinkedHashMap<>();
        lists.put("gbm.trade.partner-addresses.Mall.App[0]", "192.0.2.1");
        lists.put("gbm.trade.partner-addresses.mall.app[0]", "198.51.100.0/24");
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(environment(Map.of(), lists)))
                .hasMessageContaining("gbm.trade.partner-addresses.Mall.App is read as another partner's");

        StandardEnvironment fromEnvironment = environment(
                Map.of("GBM_TRADE_PARTNERADDRESSES_S01_C01", "192.0.2.1"),
                Map.of("gbm.trade.signature.required-for", "S01:C01"));
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(fromEnvironment))
                .hasMessageContaining("gbm.trade.partner-addresses.s01.c01 (from an environment variable) applies to "
                        + "partner 's01:c01' only, but the configuration names partner 'S01:C01'");

        Map<String, Object> bracketed = new java.util.LinkedHashMap<>();
        bracketed.put("gbm.trade.partner-addresses.[Mall].[App][0]", "192.0.2.1");
        bracketed.put("gbm.trade.partner-addresses.[Mall].[App][1]", "2001:db8::/32");
        bracketed.put("gbm.trade.partner-addresses.[mall].[app]", "198.51.100.0/24, ::1");
        StandardEnvironment fine = environment(Map.of(), bracketed);
        assertThat(PartnerKeyedSettingsGuard.check(fine)).isEmpty();
        assertThat(PartnerSignatureConfig.partnerAddresses(fine).admits("Mall", "App", "198.51.100.1"))
                .isFalse();
    }

    /**
     * Ids may hold ':' (bracketed keys keep it), so partners {@code a:b} / {@code c} and {@code a} / {@code b:c} are
     * two, each with its own secret and addresses, and the start check takes them for two. Through the configuration
     * as the application reads it: on main the addresses of the one bound later were both partners' (the other
     * partner's host admitted as it).
     */
    @Test
    void twoPartnersWhoseIdsJoinToOneTextAreTwoPartnersToTheCheck() {
        Map<String, Object> yaml = new java.util.LinkedHashMap<>();
        yaml.put("gbm.notify.secrets.[a:b].[c]", "one");
        yaml.put("gbm.notify.secrets.[a].[b:c]", "two");
        yaml.put("gbm.trade.partner-addresses.[a:b].[c]", "192.0.2.1");
        yaml.put("gbm.trade.partner-addresses.[a].[b:c]", "198.51.100.0/24");
        StandardEnvironment environment = environment(Map.of(), yaml);

        assertThat(PartnerKeyedSettingsGuard.check(environment)).isEmpty();
        NotifyProperties notify = Binder.get(environment).bindOrCreate("gbm.notify", NotifyProperties.class);
        assertThat(notify.secretOf("a:b", "c")).isEqualTo("one");
        assertThat(notify.secretOf("a", "b:c")).isEqualTo("two");
        PartnerAddresses addresses = PartnerSignatureConfig.partnerAddresses(environment);
        assertThat(addresses.admits("a:b", "c", "192.0.2.1")).isTrue();
        assertThat(addresses.admits("a:b", "c", "198.51.100.1")).isFalse();
        assertThat(addresses.admits("a", "b:c", "198.51.100.1")).isTrue();
    }

    /**
     * An isolated MQ partner's own exchange is partner-keyed too: read as another partner's, one partner's messages
     * would go to the exchange the other binds (its orders to the other), or back to the shared exchange.
     */
    @Test
    void aPartnersOwnExchangeIsCheckedLikeTheOtherPartnerKeyedSettings() {
        Map<String, Object> yaml = new java.util.LinkedHashMap<>();
        yaml.put("gbm.mq.partner-exchanges.Mall.App", "gbm_mall_a");
        yaml.put("gbm.mq.partner-exchanges.mall.app", "gbm_mall_b");
        StandardEnvironment crossed = environment(Map.of(), yaml);
        // Unchecked, Spring hands partner Mall:App the other partner's exchange.
        assertThat(partnerExchanges(crossed).get("Mall").get("App")).isEqualTo("gbm_mall_b");
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(crossed))
                .hasMessageContaining("gbm.mq.partner-exchanges.Mall.App is read as another partner's")
                .hasMessageContaining("gbm.mq.partner-exchanges.[Mall].[App]=");

        StandardEnvironment fromEnvironment = environment(
                Map.of("GBM_MQ_PARTNEREXCHANGES_S01_C01", "gbm_mall_s01"),
                Map.of("gbm.notify.secrets.[S01].[C01]", "s3cret"));
        // Unchecked, the exchange is s01:c01's and partner S01:C01 stays on the shared exchange.
        assertThat(partnerExchanges(fromEnvironment)).containsOnlyKeys("s01");
        assertThatThrownBy(() -> PartnerKeyedSettingsGuard.check(fromEnvironment))
                .hasMessageContaining("gbm.mq.partner-exchanges.s01.c01 (from an environment variable) applies to "
                        + "partner 's01:c01' only, but the configuration names partner 'S01:C01'");

        StandardEnvironment bracketed = environment(
                Map.of(),
                Map.of(
                        "gbm.mq.partner-exchanges.[Mall].[App]", "gbm_mall_a",
                        "gbm.mq.partner-exchanges.[mall].[app]", "gbm_mall_b"));
        assertThat(PartnerKeyedSettingsGuard.check(bracketed)).isEmpty();
        assertThat(partnerExchanges(bracketed))
                .isEqualTo(Map.of("Mall", Map.of("App", "gbm_mall_a"), "mall", Map.of("app", "gbm_mall_b")));
    }

    /** {@code gbm.mq.partner-exchanges} as Spring binds it (source, then channel, then the exchange). */
    private static Map<String, Map<String, String>> partnerExchanges(StandardEnvironment environment) {
        return Binder.get(environment)
                .bind(
                        "gbm.mq.partner-exchanges",
                        org.springframework.boot.context.properties.bind.Bindable.<Map<String, Map<String, String>>>of(
                                org.springframework.core.ResolvableType.forClassWithGenerics(
                                        Map.class,
                                        org.springframework.core.ResolvableType.forClass(String.class),
                                        org.springframework.core.ResolvableType.forClassWithGenerics(
                                                Map.class, String.class, String.class))))
                .orElse(Map.of());
    }

    @Test
    void aLowerCasePartnerFromTheEnvironmentStillWorksAndIsNamedAtStartUp() {
        StandardEnvironment environment = environment(
                Map.of("GBM_NOTIFY_SECRETS_S01_C01", "s3cret", "GBM_NOTIFY_REFUNDURLS_S01_C01", "https://p.example/r"),
                Map.of("gbm.trade.signature.required-for", "s01:c01", "gbm.settlement.blacklist", "s02:c02"));
        assertThat(PartnerKeyedSettingsGuard.check(environment))
                .containsExactlyInAnyOrder(
                        "gbm.notify.secrets.s01.c01 comes from an environment variable: it applies to partner "
                                + "'s01:c01' exactly (environment variable keys are lower-cased)",
                        "gbm.notify.refund-urls.s01.c01 comes from an environment variable: it applies to partner "
                                + "'s01:c01' exactly (environment variable keys are lower-cased)");
    }

    @Test
    void aRealStartStopsBeforeAnythingStarts() {
        StandardEnvironment environment = environment(
                Map.of("GBM_NOTIFY_SECRETS_S01_C01", "s3cret"), Map.of("gbm.settlement.allowlist", "S01:C01"));
        // Registered as an EnvironmentPostProcessor: the refusal comes before the (unreachable) database is tried.
        assertThatThrownBy(() -> startWithoutServers(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start: gbm.notify.secrets.s01.c01");
    }

    /** Starts the app (test profile) on {@code environment} with its database and Redis unreachable. */
    static void startWithoutServers(StandardEnvironment environment) {
        new SpringApplicationBuilder(Application.class)
                .environment(environment)
                .profiles("test")
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.datasource.url=jdbc:mysql://127.0.0.1:1/none",
                        "gbm.redis.port=1",
                        "xxl.job.executor.port=0")
                .run()
                .close();
    }

    /** The environment variables as the system environment, and {@code properties} before them (a config file). */
    static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
        environment.getPropertySources().addFirst(new MapPropertySource("config", new HashMap<>(properties)));
        return environment;
    }
}
