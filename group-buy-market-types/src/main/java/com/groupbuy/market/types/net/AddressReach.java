package com.groupbuy.market.types.net;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where an address can be reached from, after the IANA IPv4 and IPv6 special-purpose address registries: only
 * {@link #PUBLIC} addresses are globally routable. An IPv4 address carried inside an IPv6 one (mapped, compatible,
 * 6to4, NAT64) is judged by the IPv4 address it carries (Teredo and the deprecated compatible form are refused
 * outright), so {@code [64:ff9b::a9fe:a9fe]} is the metadata
 * address it leads to, not a public IPv6 address.
 */
public enum AddressReach {
    /** Globally routable. */
    PUBLIC,
    /** This host only (127/8, ::1). */
    LOOPBACK,
    /** A private network of ours (RFC 1918, shared 100.64/10, unique-local fc00::/7). */
    PRIVATE,
    /** Never a callback target: unspecified, link-local, metadata, documentation, benchmarking, reserved, multicast. */
    NEVER;

    public static AddressReach of(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet6Address ? ofV6(b) : ofV4(b);
    }

    static AddressReach ofV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10
                || (a0 == 172 && (a1 & 0xf0) == 16)
                || (a0 == 192 && a1 == 168)
                || (a0 == 100 && (a1 & 0xc0) == 64)) {
            return PRIVATE;
        }
        if (a0 == 0 // 0/8 "this network"
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments (192.0.0.0/24)
                || (a0 == 192 && a1 == 0 && a2 == 2) // TEST-NET-1
                || (a0 == 192 && a1 == 88 && a2 == 99) // deprecated 6to4 relay anycast
                || (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18.0.0/15
                || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
                || a0 >= 224) { // multicast 224/4, reserved 240/4, broadcast
            return NEVER;
        }
        return PUBLIC;
    }

    static AddressReach ofV6(byte[] b) {
        if (isZero(b, 0, 15)) {
            return (b[15] & 0xff) == 1 ? LOOPBACK : NEVER; // ::1 loopback, :: unspecified
        }
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ofV4(slice(b, 12)); // ::ffff:a.b.c.d mapped
        }
        if (isZero(b, 0, 12)) {
            return NEVER; // ::a.b.c.d compatible: deprecated, never routed
        }
        int w0 = word(b, 0);
        int w1 = word(b, 2);
        if (w0 == 0x0064 && w1 == 0xff9b && isZero(b, 4, 12)) {
            return ofV4(slice(b, 12)); // 64:ff9b::/96 NAT64
        }
        if (w0 == 0x2002) {
            return ofV4(slice(b, 2)); // 2002::/16 6to4 carries its IPv4 in bits 16-47
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return NEVER; // 2001::/32 Teredo: a tunnel relay, never a partner
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return PRIVATE; // fc00::/7 unique local
        }
        if ((b[0] & 0xe0) != 0x20) {
            // Outside 2000::/3 global unicast: link-local, site-local, multicast, discard-only 100::/64,
            // NAT64 local-use 64:ff9b:1::/48, SRv6 5f00::/16, and everything not yet allocated.
            return NEVER;
        }
        if ((w0 == 0x2001 && (w1 & 0xfe00) == 0) // 2001::/23 IETF protocol assignments
                || (w0 == 0x2001 && w1 == 0x0db8) // documentation
                || (w0 & 0xfff0) == 0x3ff0) { // 3ff0::/12: 3fff::/20 documentation, 3ffe::/16 retired 6bone
            return NEVER;
        }
        return PUBLIC;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static byte[] slice(byte[] b, int at) {
        return new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]};
    }
}
