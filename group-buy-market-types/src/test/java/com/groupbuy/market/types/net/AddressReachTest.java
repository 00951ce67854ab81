package com.groupbuy.market.types.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 13 item 8: every non-globally-routable range, v4 embedded in v6 included, is refused on prod settings. */
class AddressReachTest {

    private final NotifyUrlPolicy prod = new NotifyUrlPolicy(false, false, url -> true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                // the cases
                "64:ff9b::a9fe:a9fe",
                "2002:a9fe:a9fe::",
                "::127.0.0.1",
                "0.0.0.1",
                "192.0.0.1",
                "198.18.0.1",
                "240.0.0.1",
                "255.255.255.255",
                // IPv4 special-purpose registry
                "0.0.0.0",
                "10.1.2.3",
                "100.64.0.1",
                "100.127.255.254",
                "127.0.0.1",
                "127.255.0.1",
                "169.254.169.254",
                "172.16.0.1",
                "172.31.255.255",
                "192.0.0.9",
                "192.0.2.1",
                "192.88.99.1",
                "192.168.0.1",
                "198.19.255.255",
                "198.51.100.7",
                "203.0.113.9",
                "224.0.0.1",
                "239.255.255.250",
                "255.0.0.1",
                // IPv6 special-purpose registry
                "::",
                "::1",
                "100::1",
                "2001::1",
                "2001:0:4136:e378:8000:63bf:3fff:fdd2",
                "2001:2::1",
                "2001:10::1",
                "2001:db8::1",
                "3fff::1",
                "fc00::1",
                "fd12:3456::1",
                "fe80::1",
                "fec0::1",
                "ff02::1",
                "64:ff9b:1::1",
                "5f00::1",
                "4000::1",
                // IPv4 carried in IPv6: mapped, compatible, 6to4, NAT64 leading to loopback, private, metadata
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::ffff:169.254.169.254",
                "::10.0.0.1",
                "::8.8.8.8",
                "2002:7f00:1::",
                "2002:c0a8:101::1",
                "64:ff9b::7f00:1",
                "64:ff9b::10.0.0.1",
                "64:ff9b::c000:201"
            })
    void prodRefuses(String address) throws Exception {
        assertThat(prod.isAllowed(InetAddress.getByName(address))).as(address).isFalse();
        assertThat(prod.refusal("http://" + (address.contains(":") ? "[" + address + "]" : address) + "/cb"))
                .as(address)
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "100.63.255.255",
                "100.128.0.1",
                "172.32.0.1",
                "192.0.1.1",
                "198.17.255.255",
                "198.20.0.1",
                "223.255.255.254",
                "2606:4700:4700::1111",
                "2a00:1450:4001::200e",
                "::ffff:8.8.8.8",
                "2002:808:808::1",
                "64:ff9b::808:808",
                "2001:200::1"
            })
    void prodAcceptsGloballyRoutable(String address) throws Exception {
        assertThat(prod.isAllowed(InetAddress.getByName(address))).as(address).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1,LOOPBACK",
        "::1,LOOPBACK",
        "::ffff:127.0.0.1,LOOPBACK",
        "64:ff9b::7f00:1,LOOPBACK",
        "10.0.0.1,PRIVATE",
        "fd00::1,PRIVATE",
        "2002:a00:1::,PRIVATE",
        "169.254.1.1,NEVER",
        "::127.0.0.1,NEVER",
        "8.8.8.8,PUBLIC"
    })
    void classifiesEmbeddedAddressesByTheIpv4TheyCarry(String address, AddressReach reach) throws Exception {
        assertThat(AddressReach.of(InetAddress.getByName(address))).isEqualTo(reach);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "64:ff9b::7f00:1"})
    void loopbackOnlyWhenAllowed(String address) throws Exception {
        assertThat(new NotifyUrlPolicy(true, false, url -> true).isAllowed(InetAddress.getByName(address)))
                .isTrue();
        assertThat(new NotifyUrlPolicy(false, true, url -> true).isAllowed(InetAddress.getByName(address)))
                .isFalse();
    }

    /**
     * The JDK turns {@code ::ffff:a.b.c.d} into an IPv4 address when it parses text, but an {@link Inet6Address} built
     * from the 16 bytes (as a resolver or client library may hand it over) keeps the mapped form: it is judged by the
     * IPv4 address it carries all the same, and only the exact prefix {@code ::ffff:0:0/96} is read as mapped.
     */
    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:ffff:7f00:1,LOOPBACK",
        "0:0:0:0:0:ffff:a00:1,PRIVATE",
        "0:0:0:0:0:ffff:a9fe:a9fe,NEVER",
        "0:0:0:0:0:ffff:808:808,PUBLIC",
        "0:0:0:0:0:fffe:808:808,NEVER",
        "0:0:0:0:0:feff:808:808,NEVER",
        "0:0:0:0:1:ffff:808:808,NEVER",
        "1:0:0:0:0:ffff:808:808,NEVER"
    })
    void aMappedAddressKeptInItsIpv6FormIsJudgedByTheIpv4ItCarries(String address, AddressReach reach)
            throws Exception {
        Inet6Address mapped = Inet6Address.getByAddress(null, sixteenBytes(address), -1);

        assertThat(AddressReach.of(mapped)).as(address).isEqualTo(reach);
        assertThat(prod.isAllowed(mapped)).as(address).isEqualTo(reach == AddressReach.PUBLIC);
    }

    /** The 16 bytes of an IPv6 address written in full (eight groups), parsed here so the JDK keeps its form. */
    private static byte[] sixteenBytes(String address) {
        String[] groups = address.split(":");
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            int group = Integer.parseInt(groups[i], 16);
            bytes[2 * i] = (byte) (group >> 8);
            bytes[2 * i + 1] = (byte) group;
        }
        return bytes;
    }

    /** Each of the first three octets carried decides a range: the octets are read where each form carries them. */
    @ParameterizedTest
    @CsvSource({
        "64:ff9b::c0a8:101,PRIVATE",
        "64:ff9b::cb00:7105,NEVER",
        "64:ff9b::c058:6301,NEVER",
        "64:ff9b::cb00:7205,PUBLIC",
        "2002:cb00:7105::,NEVER",
        "2002:c0a8:101::,PRIVATE",
        "2002:cb00:7205::,PUBLIC",
        "2002:ac10:1::,PRIVATE"
    })
    void theIpv4CarriedIsReadOctetByOctet(String address, AddressReach reach) throws Exception {
        assertThat(AddressReach.of(InetAddress.getByName(address))).as(address).isEqualTo(reach);
    }
}
