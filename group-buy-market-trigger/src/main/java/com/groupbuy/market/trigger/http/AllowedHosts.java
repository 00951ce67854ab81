package com.groupbuy.market.trigger.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a request's {@code Host} may carry ({@code gbm.http.allowed-hosts}), against DNS rebinding: a page on
 * {@code evil.example} that rebinds its name to 127.0.0.1 becomes a same-origin client of a loopback-only server, sends
 * the default profile's well-known admin token and reads the answers. Its requests still say {@code Host:
 * evil.example}, and that is what is checked.
 *
 * <ul>
 *   <li>Loopback names — {@code localhost} and loopback literals ({@code 127.x.x.x}, {@code [::1]}, {@code
 *       [::ffff:127.0.0.1]}) — are always admitted while the check runs: no one but this host can make a browser
 *       send them.
 *   <li>The configured names are admitted exactly (case and one trailing dot ignored; no wildcards), and so is the
 *       literal of the address the request arrived at (a probe calling the container's IP).
 *   <li>The check runs when names are configured, or when the server listens on a loopback address only. Bound beyond
 *       loopback with no names, partners reach the server by whatever name they use, and nothing is checked.
 *   <li>The port is ignored: a rebinding page can use any port of its own name, and a port mapping (a container, an
 *       SSH tunnel) changes the port partners send.
 *   <li>While the check runs, a request without {@code Host} (HTTP/1.0) is refused: nothing says where it was meant.
 * </ul>
 *
 * Names are never resolved: a literal is parsed as one, anything else is compared as text.
 */
public final class AllowedHosts {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-f:.]+");
    /** A DNS name or IPv4 literal as written in {@code gbm.http.allowed-hosts}: no port, scheme, path or wildcard. */
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private final Set<String> names;
    private final boolean active;

    /**
     * @param names the configured names (empty: none)
     * @param loopbackOnly whether the server listens on a loopback address only
     * @throws IllegalArgumentException a name that is not a host name or literal (a port, a scheme, a wildcard)
     */
    public AllowedHosts(Collection<String> names, boolean loopbackOnly) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String name : names) {
            String n = normalise(name == null ? "" : name.trim());
            if (!NAME.matcher(n).matches() && !(n.startsWith("[") && literal(n) != null)) {
                throw new IllegalArgumentException("gbm.http.allowed-hosts: '" + name + "' is not a host name (give "
                        + "names only, as partners send them in Host: no scheme, port, path or wildcard)");
            }
            normalised.add(n);
        }
        this.names = Set.copyOf(normalised);
        this.active = loopbackOnly || !this.names.isEmpty();
    }

    /** Whether any request is checked at all. */
    public boolean active() {
        return active;
    }

    /** {@link #admits(String, String)} of a request whose local address is unknown. */
    public boolean admits(String hostHeader) {
        return admits(hostHeader, null);
    }

    /**
     * Whether a request with this {@code Host} header value (null: none was sent) may be served. {@code localAddress}
     * is the address the request's connection arrived at (null: unknown): a literal naming it is admitted too, so a
     * health probe or a load balancer that calls by address (a container's own IP) is not refused. A literal is never
     * a rebinding: no DNS answer stands behind it.
     */
    public boolean admits(String hostHeader, String localAddress) {
        if (!active) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String name = normalise(withoutPort(hostHeader.trim()));
        return !name.isEmpty() && (isLoopback(name) || names.contains(name) || isLocal(name, localAddress));
    }

    private static boolean isLocal(String name, String localAddress) {
        if (localAddress == null || localAddress.isEmpty()) {
            return false;
        }
        InetAddress named = literal(name);
        if (named == null) {
            return false;
        }
        String local = localAddress.indexOf(':') >= 0 && !localAddress.startsWith("[")
                ? "[" + localAddress + "]"
                : localAddress;
        int zone = local.indexOf('%');
        if (zone >= 0) {
            local = local.substring(0, zone) + "]";
        }
        InetAddress arrived = literal(local.toLowerCase(Locale.ROOT));
        return named.equals(arrived);
    }

    /** The name of a {@code Host} value: {@code [v6]:port} to {@code [v6]}, {@code name:port} to {@code name}. */
    public static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Lower case, one trailing dot dropped ({@code localhost.} is {@code localhost}). */
    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** {@code localhost}, or a loopback literal: 127.0.0.0/8 in dotted form, {@code [::1]} and its spellings. */
    static boolean isLoopback(String name) {
        if ("localhost".equals(name)) {
            return true;
        }
        InetAddress address = literal(name);
        return address != null && address.isLoopbackAddress();
    }

    /**
     * The address a literal spells ({@code a.b.c.d}, or {@code [v6]} as it stands in a URL), or null for anything
     * else. Only characters of a literal are ever handed to {@link InetAddress}, which then parses without a lookup.
     */
    static InetAddress literal(String name) {
        try {
            if (name.startsWith("[") && name.endsWith("]")) {
                String inner = name.substring(1, name.length() - 1);
                if (inner.indexOf(':') < 0 || !IPV6_TEXT.matcher(inner).matches()) {
                    return null;
                }
                return InetAddress.getByName("[" + inner + "]");
            }
            var v4 = IPV4.matcher(name);
            if (!v4.matches()) {
                return null;
            }
            byte[] octets = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                octets[i] = (byte) octet;
            }
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether the server's bind address is a loopback one (null: every interface, so no). */
    public static boolean loopbackOnly(InetAddress bound) {
        return bound != null && bound.isLoopbackAddress();
    }
}
