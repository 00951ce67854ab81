package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gbm.trade.partner-addresses}: strict entries, and which client addresses a pair's blocks admit. */
class PartnerAddressesTest {

    private static PartnerAddresses of(String... entries) {
        return PartnerAddresses.parse(Map.of("s", Map.of("c", List.of(entries))));
    }

    private static boolean admits(PartnerAddresses addresses, String client) {
        return addresses.admits("s", "c", client);
    }

    @Test
    void anIpv4BlockAdmitsItsAddressesUpToItsEdgesAndNothingPast() {
        PartnerAddresses block = of("10.1.2.0/23");

        assertThat(admits(block, "10.1.2.0")).isTrue();
        assertThat(admits(block, "10.1.3.255")).isTrue();
        assertThat(admits(block, "10.1.1.255")).isFalse();
        assertThat(admits(block, "10.1.4.0")).isFalse();
        assertThat(admits(of("0.0.0.0/0"), "203.0.113.9")).isTrue();
        assertThat(admits(of("0.0.0.0/0"), "::1"))
                .as("an IPv4 block admits no IPv6 client")
                .isFalse();
    }

    @Test
    void aSingleAddressAdmitsOnlyItself() {
        assertThat(admits(of("127.0.0.1"), "127.0.0.1")).isTrue();
        assertThat(admits(of("127.0.0.1"), "127.0.0.2")).isFalse();
        assertThat(admits(of("127.0.0.1/32"), "127.0.0.1")).isTrue();
        assertThat(admits(of("::1"), "0:0:0:0:0:0:0:1"))
                .as("Tomcat's long form")
                .isTrue();
        assertThat(admits(of("::1"), "::2")).isFalse();
    }

    @Test
    void ipv6BlocksMatchOnTheirPrefixAndAClientWithAZone() {
        PartnerAddresses block = of("2001:db8:abcd:12::/63");

        assertThat(admits(block, "2001:db8:abcd:12::1")).isTrue();
        assertThat(admits(block, "2001:db8:abcd:13:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(admits(block, "2001:db8:abcd:14::")).isFalse();
        assertThat(admits(of("fe80::/10"), "fe80:0:0:0:0:0:0:1%eth0")).isTrue();
        assertThat(admits(of("::/0"), "127.0.0.1"))
                .as("an IPv6 block admits no IPv4 client")
                .isFalse();
    }

    @Test
    void anIpv4MappedClientIsMatchedAsItsIpv4Address() {
        assertThat(admits(of("127.0.0.1/32"), "::ffff:127.0.0.1")).isTrue();
        assertThat(admits(of("127.0.0.0/8"), "0:0:0:0:0:ffff:7f00:1")).isTrue();
        assertThat(admits(of("10.0.0.0/8"), "::ffff:127.0.0.1")).isFalse();
    }

    @Test
    void aClientAddressThatIsNoLiteralIsNeverAdmittedNorLookedUp() {
        PartnerAddresses all = of("0.0.0.0/0", "::/0");
        for (String client :
                new String[] {null, "", "localhost", "example.com", "127.1", "0127.0.0.1", "1.2.3.256", ".:1", "[::1"
                }) {
            assertThat(admits(all, client)).as("%s", client).isFalse();
        }
        assertThat(admits(all, "[::1]")).isTrue();
    }

    @Test
    void onlyBoundPairsAreBoundAndAnUnboundPairAdmitsNothing() {
        PartnerAddresses addresses = of("127.0.0.1");

        assertThat(addresses.any()).isTrue();
        assertThat(addresses.bound("s", "c")).isTrue();
        assertThat(addresses.bound("S", "c")).as("ids compare exactly").isFalse();
        assertThat(addresses.admits("s", "d", "127.0.0.1")).isFalse();
        assertThat(PartnerAddresses.NONE.any()).isFalse();
        assertThat(PartnerAddresses.parse(Map.of()).any()).isFalse();
    }

    @Test
    void malformedEntriesAreRefusedNamingTheKeyAndTheEntry() {
        for (String entry : new String[] {
            "",
            " ",
            "localhost",
            "10.0.0",
            "10.0.0.0.0",
            "256.0.0.0",
            "010.0.0.1",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/08",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "10.0.0.1/8",
            "::1/129",
            "2001:db8::1/32",
            "fe80::1%eth0",
            "[::1]",
            "1:2:3",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.0/104",
            "0x7f.0.0.1",
            "1.2.3.4/ 8"
        }) {
            assertThatThrownBy(() -> PartnerAddresses.parse(Map.of("s01", Map.of("c01", List.of("::1", entry)))))
                    .as("'%s'", entry)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("gbm.trade.partner-addresses.s01.c01: '" + entry + "' ");
        }
    }

    @Test
    void aPairListingNoAddressIsRefused() {
        assertThatThrownBy(() -> PartnerAddresses.parse(Map.of("s01", Map.of("c01", List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.trade.partner-addresses.s01.c01 lists no address");
    }

    /**
     * A partner is its source and channel, apart: ids may hold ':' (the edge refuses only control and invisible
     * characters). Keyed by {@code source + ":" + channel}, binding {@code a:b} / {@code c} bound {@code a} /
     * {@code b:c} as well (its unsigned requests from anywhere else refused), and with both bound the one written
     * later took the other's place: the second partner's host could act unsigned as the first.
     */
    @Test
    void twoPartnersWhoseIdsJoinToOneTextAreBoundEachToItsOwnAddresses() {
        PartnerAddresses onlyOne = PartnerAddresses.parse(Map.of("a:b", Map.of("c", List.of("10.0.0.1"))));

        assertThat(onlyOne.bound("a:b", "c")).isTrue();
        assertThat(onlyOne.bound("a", "b:c")).as("a partner nobody bound").isFalse();
        assertThat(onlyOne.admits("a", "b:c", "10.0.0.1")).isFalse();

        Map<String, Map<String, List<String>>> both = new java.util.LinkedHashMap<>();
        both.put("a:b", Map.of("c", List.of("10.0.0.1")));
        both.put("a", Map.of("b:c", List.of("10.0.0.2")));
        PartnerAddresses two = PartnerAddresses.parse(both);

        assertThat(two.admits("a:b", "c", "10.0.0.1")).isTrue();
        assertThat(two.admits("a:b", "c", "10.0.0.2"))
                .as("the other partner's host")
                .isFalse();
        assertThat(two.admits("a", "b:c", "10.0.0.2")).isTrue();
        assertThat(two.admits("a", "b:c", "10.0.0.1"))
                .as("the other partner's host")
                .isFalse();
    }

    @Test
    void theBoundPairsAreListedAsTheyAreWritten() {
        PartnerAddresses addresses = PartnerAddresses.parse(Map.of("mall", Map.of("app", List.of("10.0.0.0/8"))));

        assertThat(addresses.pairs()).containsExactly("mall:app");
        assertThat(PartnerAddresses.NONE.pairs()).isEmpty();
    }
}
