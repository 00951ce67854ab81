package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host allow-list's rules against DNS rebinding ({@link AllowedHosts}). */
class AllowedHostsTest {

    private final AllowedHosts loopbackOnly = new AllowedHosts(List.of(), true);

    @Test
    void onLoopbackWithNoNamesOnlyLoopbackNamesAreServed() {
        assertThat(loopbackOnly.active()).isTrue();
        for (String host : List.of(
                "localhost",
                "localhost:8091",
                "LOCALHOST",
                "LocalHost:8091",
                "localhost.",
                "127.0.0.1.",
                "127.0.0.1",
                "127.0.0.1:8091",
                "127.1.2.3:80",
                "[::1]",
                "[::1]:8091",
                "[0:0:0:0:0:0:0:1]:8091",
                "[::ffff:127.0.0.1]:8091")) {
            assertThat(loopbackOnly.admits(host)).as(host).isTrue();
        }
        for (String host : List.of(
                "evil.example",
                "evil.example:8091",
                "127.0.0.1.evil.example",
                "127.0.0.1.evil.example:8091",
                "localhost.evil.example",
                "evil.localhost.example",
                "x.localhost",
                "0.0.0.0",
                "0.0.0.0:8091",
                "10.0.0.5",
                "2130706433",
                "0x7f.0.0.1",
                "127.0.0.256",
                "[::]",
                "[::2]",
                "[fe80::1]",
                "[::1%25lo]",
                "[evil.example]",
                "",
                ":8091")) {
            assertThat(loopbackOnly.admits(host)).as(host).isFalse();
        }
    }

    @Test
    void withoutHostNothingIsServedWhileTheCheckRuns() {
        assertThat(loopbackOnly.admits(null)).isFalse();
        assertThat(loopbackOnly.admits(null, "127.0.0.1")).isFalse();
    }

    @Test
    void configuredNamesAreAddedToLoopbackNamesWithoutCaseOrPortOrTrailingDot() {
        AllowedHosts hosts = new AllowedHosts(List.of("GBM.example.com", " gbm.internal "), true);
        assertThat(hosts.admits("gbm.example.com")).isTrue();
        assertThat(hosts.admits("Gbm.Example.Com:443")).isTrue();
        assertThat(hosts.admits("gbm.example.com.")).isTrue();
        assertThat(hosts.admits("gbm.internal:8091")).isTrue();
        assertThat(hosts.admits("localhost")).isTrue();
        assertThat(hosts.admits("x.gbm.example.com")).as("no wildcard").isFalse();
        assertThat(hosts.admits("gbm.example.com.evil.example")).isFalse();
        assertThat(hosts.admits("evil.example")).isFalse();
    }

    @Test
    void boundBeyondLoopbackWithoutNamesNothingIsChecked() {
        AllowedHosts open = new AllowedHosts(List.of(), false);
        assertThat(open.active()).isFalse();
        assertThat(open.admits("evil.example")).isTrue();
        assertThat(open.admits(null)).isTrue();
    }

    @Test
    void boundBeyondLoopbackWithNamesTheNamesAndTheArrivalAddressAreServed() {
        AllowedHosts hosts = new AllowedHosts(List.of("gbm.example.com"), false);
        assertThat(hosts.active()).isTrue();
        assertThat(hosts.admits("gbm.example.com:8091", "10.0.0.5")).isTrue();
        assertThat(hosts.admits("10.0.0.5:8091", "10.0.0.5"))
                .as("a probe calling the pod's address")
                .isTrue();
        assertThat(hosts.admits("[fd00::5]:8091", "fd00:0:0:0:0:0:0:5")).isTrue();
        assertThat(hosts.admits("[fe80::5]:8091", "fe80:0:0:0:0:0:0:5%eth0")).isTrue();
        assertThat(hosts.admits("10.0.0.6:8091", "10.0.0.5"))
                .as("another address")
                .isFalse();
        assertThat(hosts.admits("evil.example:8091", "10.0.0.5")).isFalse();
        assertThat(hosts.admits("10.0.0.5.evil.example", "10.0.0.5")).isFalse();
    }

    @Test
    void onlyHostNamesCanBeConfigured() {
        for (String bad :
                List.of("gbm.example.com:8091", "*.example.com", "https://gbm.example.com", "a/b", "", "a b")) {
            assertThatThrownBy(() -> new AllowedHosts(List.of(bad), false))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gbm.http.allowed-hosts");
        }
        assertThat(new AllowedHosts(List.of("[fd00::5]", "10.0.0.5"), false).admits("[fd00::5]:1"))
                .isTrue();
    }

    @Test
    void theBindAddressDecidesWhetherTheServerIsLoopbackOnly() throws Exception {
        assertThat(AllowedHosts.loopbackOnly(java.net.InetAddress.getByName("127.0.0.1")))
                .isTrue();
        assertThat(AllowedHosts.loopbackOnly(java.net.InetAddress.getByName("::1")))
                .isTrue();
        assertThat(AllowedHosts.loopbackOnly(java.net.InetAddress.getByName("0.0.0.0")))
                .isFalse();
        assertThat(AllowedHosts.loopbackOnly(null)).isFalse();
    }

    /** An octet is at most 255, 255 included; an IPv6 arrival address is matched in whatever form Tomcat gives it. */
    @Test
    void literalsAreReadToTheirLastValidOctetAndInEveryArrivalForm() {
        assertThat(loopbackOnly.admits("127.255.255.255")).isTrue();
        assertThat(loopbackOnly.admits("127.0.0.255:8091")).isTrue();
        AllowedHosts hosts = new AllowedHosts(List.of("gbm.example.com"), false);
        assertThat(hosts.admits("10.0.0.255", "10.0.0.255")).isTrue();
        assertThat(hosts.admits("[::5]:8091", "::5"))
                .as("an arrival address starting with ':'")
                .isTrue();
        assertThat(hosts.admits("[::5]:8091", "[::5]")).isTrue();
        assertThat(hosts.admits("[::6]:8091", "::5")).isFalse();
    }
}
