package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.trigger.http.PartnerAddresses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code gbm.trade.partner-addresses} as the configuration gives it (comma-separated or a YAML list, bracketed ids),
 * the start refused for a bad entry, and prod's warning for pairs any caller can act as.
 */
class PartnerAddressesConfigTest {

    @Test
    void aCommaSeparatedValueAndAnIndexedListBothBindWithIdsAsWritten() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("gbm.trade.partner-addresses.[S01].[C01]", "10.0.0.0/8, ::1")
                .withProperty("gbm.trade.partner-addresses.s02.c02[0]", "192.0.2.1")
                .withProperty("gbm.trade.partner-addresses.s02.c02[1]", "2001:db8::/32");

        PartnerAddresses addresses = PartnerSignatureConfig.partnerAddresses(environment);

        assertThat(addresses.pairs()).containsExactlyInAnyOrder("S01:C01", "s02:c02");
        assertThat(addresses.admits("S01", "C01", "10.9.9.9")).isTrue();
        assertThat(addresses.admits("S01", "C01", "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(addresses.admits("s02", "c02", "2001:db8::5")).isTrue();
        assertThat(addresses.admits("s02", "c02", "192.0.2.2")).isFalse();
    }

    @Test
    void aMalformedEntryOrAnEmptyPairRefusesTheStartNamingIt() {
        assertThatThrownBy(() -> PartnerSignatureConfig.partnerAddresses(
                        new MockEnvironment().withProperty("gbm.trade.partner-addresses.s01.c01", "10.0.0.1/8")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: gbm.trade.partner-addresses.s01.c01: '10.0.0.1/8' ");
        assertThatThrownBy(() -> PartnerSignatureConfig.partnerAddresses(
                        new MockEnvironment().withProperty("gbm.trade.partner-addresses.s01.c01", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.trade.partner-addresses.s01.c01 lists no address");
    }

    @Test
    void onProdEachPairWithASecretThatNeitherSignsNorIsBoundIsNamed() {
        NotifyProperties notify = new NotifyProperties();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        secrets.put("s01", Map.of("c01", "x"));
        secrets.put("s02", Map.of("c02", "x"));
        secrets.put("s03", Map.of("c03", "x"));
        notify.setSecrets(secrets);
        MockEnvironment environment = new MockEnvironment()
                .withProperty("gbm.trade.signature.required-for", "s02:c02")
                .withProperty("gbm.trade.partner-addresses.s03.c03", "10.0.0.0/8");
        PartnerAddresses addresses = PartnerSignatureConfig.partnerAddresses(environment);

        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses))
                .as("not prod")
                .isEmpty();
        environment.setActiveProfiles("prod");
        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses))
                .singleElement()
                .asString()
                .startsWith("partner s01:c01 neither must sign")
                .endsWith("any caller that reaches the port can act as it");
        environment.setProperty("gbm.trade.signature.required-for", "*");
        assertThat(PartnerSignatureConfig.unauthenticatedPairs(environment, notify, addresses))
                .isEmpty();
    }
}
