package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartnerCallbackHostsTest {

    private final PartnerCallbackHosts hosts = PartnerCallbackHosts.parse(Map.of(
            "s01", Map.of("c01", List.of("mall-a.example", "Hooks.Mall-A.example.")),
            "s02", Map.of("c02", List.of("mall-b.example", "[2001:db8::1]"))));

    @Test
    void aBoundPartnerNamesOnlyItsOwnHostsCaseAndATrailingDotAside() {
        assertThat(hosts.refusal("mall-a.example", "s01", "c01")).isNull();
        assertThat(hosts.refusal("HOOKS.mall-a.EXAMPLE", "s01", "c01")).isNull();
        assertThat(hosts.refusal("mall-a.example.", "s01", "c01")).isNull();
        assertThat(hosts.refusal("mall-b.example", "s01", "c01")).isEqualTo(PartnerCallbackHosts.NOT_ITS_HOST);
        assertThat(hosts.refusal("elsewhere.example", "s01", "c01")).isEqualTo(PartnerCallbackHosts.NOT_ITS_HOST);
    }

    @Test
    void anUnboundPartnerMayNameAnyHostButABoundOnesHost() {
        assertThat(hosts.refusal("elsewhere.example", "s03", "c03")).isNull();
        assertThat(hosts.refusal("Mall-B.example.", "s03", "c03")).isEqualTo(PartnerCallbackHosts.ANOTHERS_HOST);
        assertThat(hosts.refusal("[2001:db8::1]", "s03", "c03")).isEqualTo(PartnerCallbackHosts.ANOTHERS_HOST);
        // Ids compare exactly: S01/c01 is not s01/c01.
        assertThat(hosts.refusal("mall-a.example", "S01", "c01")).isEqualTo(PartnerCallbackHosts.ANOTHERS_HOST);
    }

    @Test
    void aHostBoundToTwoPartnersServesBoth() {
        PartnerCallbackHosts shared = PartnerCallbackHosts.parse(Map.of(
                "s01", Map.of("c01", List.of("platform.example")), "s02", Map.of("c02", List.of("platform.example"))));

        assertThat(shared.refusal("platform.example", "s01", "c01")).isNull();
        assertThat(shared.refusal("platform.example", "s02", "c02")).isNull();
        assertThat(shared.refusal("platform.example", "s03", "c03")).isEqualTo(PartnerCallbackHosts.ANOTHERS_HOST);
    }

    @Test
    void noBindingRefusesNothing() {
        PartnerCallbackHosts none = PartnerCallbackHosts.parse(Map.of());

        assertThat(none.refusal("mall-a.example", "s01", "c01")).isNull();
        assertThat(none.isEmpty()).isTrue();
        assertThat(hosts.isEmpty()).isFalse();
    }

    @Test
    void anEntryThatIsNoBareHostOrAnEmptyPairRefusesTheStart() {
        for (String entry : List.of(
                "http://mall.example", "mall.example:8080", "mall.example/cb", "u@mall.example", "mall example")) {
            assertThatThrownBy(() -> PartnerCallbackHosts.parse(Map.of("s01", Map.of("c01", List.of(entry)))))
                    .as(entry)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.notify.callback-hosts.[s01].[c01]");
        }
        assertThatThrownBy(() -> PartnerCallbackHosts.parse(Map.of("s01", Map.of("c01", List.of(" ")))))
                .hasMessageContaining("lists no host");
    }
}
