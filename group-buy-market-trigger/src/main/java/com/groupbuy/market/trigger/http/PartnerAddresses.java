package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.partner.Partner;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a partner that cannot sign calls from ({@code gbm.trade.partner-addresses.<source>.<channel>}): its
 * {@code source:channel} mapped to IPv4/IPv6 addresses and CIDR blocks. Entries are parsed strictly and never looked
 * up (no DNS): dotted-quad IPv4 of four decimal parts without leading zeros, IPv6 literals without zone or brackets,
 * an optional {@code /prefix} with no host bits set; an IPv4-mapped IPv6 entry is refused (write the IPv4 form, which
 * also matches a client seen as {@code ::ffff:a.b.c.d}). A malformed entry or a pair with no entry refuses the start.
 */
public final class PartnerAddresses {

    public static final PartnerAddresses NONE = new PartnerAddresses(Map.of());

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    /**
     * Keyed by the pair itself, never by its ids joined: ids may hold ':', and keyed by {@code source + ":" + channel}
     * binding {@code a:b} / {@code c} bound {@code a} / {@code b:c} too, and of two such pairs bound the later took the
     * other's addresses (its host could act unsigned as the other partner).
     */
    private final Map<Partner, List<Block>> byPair;

    private PartnerAddresses(Map<Partner, List<Block>> byPair) {
        this.byPair = byPair;
    }

    /**
     * Parses every pair's entries.
     *
     * @param bySourceThenChannel the setting as bound: source, then channel, then its entries
     * @throws IllegalArgumentException naming the setting's key and the entry, for the first malformed entry or empty pair
     */
    public static PartnerAddresses parse(Map<String, Map<String, List<String>>> bySourceThenChannel) {
        Map<Partner, List<Block>> byPair = new LinkedHashMap<>();
        bySourceThenChannel.forEach((source, byChannel) -> byChannel.forEach((channel, entries) -> {
            String key = "gbm.trade.partner-addresses." + source + "." + channel;
            List<Block> blocks = new ArrayList<>();
            for (String entry : entries == null ? List.<String>of() : entries) {
                try {
                    blocks.add(Block.parse(entry == null ? "" : entry.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": '" + entry + "' " + e.getMessage(), e);
                }
            }
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException(
                        key + " lists no address: name the partner's addresses or CIDR " + "blocks, or remove the key");
            }
            byPair.put(new Partner(source, channel), List.copyOf(blocks));
        }));
        return new PartnerAddresses(byPair);
    }

    /** True when some pair is bound to addresses. */
    public boolean any() {
        return !byPair.isEmpty();
    }

    /** True when this pair is bound to addresses (an unsigned request must come from one of them). */
    public boolean bound(String source, String channel) {
        return byPair.containsKey(Partner.named(source, channel));
    }

    /**
     * True when the client address lies in one of the pair's blocks; false for an unbound pair, and for an address
     * that is not a literal IPv4/IPv6 address (never looked up).
     */
    public boolean admits(String source, String channel, String clientAddress) {
        List<Block> blocks = byPair.get(Partner.named(source, channel));
        byte[] client = client(clientAddress);
        if (blocks == null || client == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** The pairs bound to addresses, written {@code source:channel} (for reading only: never looked up). */
    public Set<String> pairs() {
        Set<String> pairs = new LinkedHashSet<>();
        byPair.keySet().forEach(pair -> pairs.add(pair.source() + ":" + pair.channel()));
        return pairs;
    }

    /** A client address as Tomcat gives it (a literal, IPv6 maybe with a zone): its bytes, IPv4-mapped as IPv4. */
    static byte[] client(String address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        if (IPV4.matcher(address).matches()) {
            return ipv4(address);
        }
        String literal = address;
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        try {
            return ipv6(literal).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int part = Integer.parseInt(parts[i]);
            if (part > 255) {
                return null;
            }
            bytes[i] = (byte) part;
        }
        return bytes;
    }

    /**
     * An IPv6 literal only, never a name looked up: it starts with a hex digit or ':', holds a ':' and only hex
     * digits, ':' and '.' (so the JDK parses it as a literal); IPv4-mapped comes back IPv4.
     */
    private static InetAddress ipv6(String text) {
        if (!IPV6.matcher(text).matches() || text.indexOf(':') < 0) {
            throw new IllegalArgumentException("is not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not an IPv4 or IPv6 address");
        }
    }

    /** One address or CIDR block: the network's bytes and the prefix length. */
    record Block(byte[] network, int prefix) {

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes;
            if (IPV4.matcher(address).matches()) {
                bytes = ipv4(address);
                if (bytes == null) {
                    throw new IllegalArgumentException("is not an IPv4 or IPv6 address");
                }
            } else {
                InetAddress parsed = ipv6(address);
                if (parsed instanceof Inet4Address) {
                    throw new IllegalArgumentException(
                            "is an IPv4-mapped IPv6 address: write its IPv4 form (it matches "
                                    + "a client seen as ::ffff:a.b.c.d too)");
                }
                bytes = parsed.getAddress();
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = entry.substring(slash + 1);
                if (!PREFIX.matcher(length).matches() || Integer.parseInt(length) > bits) {
                    throw new IllegalArgumentException("has a prefix length that is not 0.." + bits);
                }
                prefix = Integer.parseInt(length);
            }
            BigInteger value = new BigInteger(1, bytes);
            if (!value.equals(value.shiftRight(bits - prefix).shiftLeft(bits - prefix))) {
                throw new IllegalArgumentException("has bits set past its /" + prefix + " prefix: write the network "
                        + "address of the block, or the single address");
            }
            return new Block(bytes, prefix);
        }

        boolean contains(byte[] client) {
            if (client.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (client[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (client[full] & mask) == (network[full] & mask);
        }
    }
}
