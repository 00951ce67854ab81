package com.groupbuy.market.types.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which callback URLs we accept: http or https, bounded length, and a host that resolves only to public addresses
 * unless configuration allows loopback (one-machine setups) or private ranges. Refusing loopback, private,
 * link-local and metadata addresses keeps a caller from aiming our callbacks at our own network (SSRF). The same
 * address rule is meant for the delivery client's DNS, because a name can resolve differently later.
 */
public final class NotifyUrlPolicy {

    public static final int MAX_LENGTH = 512;

    private final boolean allowLoopback;
    private final boolean allowPrivate;

    public NotifyUrlPolicy(boolean allowLoopback, boolean allowPrivate) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    /** Returns null when the URL is acceptable, else the reason it is refused. */
    public String refusal(String url) {
        if (url == null || url.isBlank()) {
            return "notifyUrl is required";
        }
        if (url.length() > MAX_LENGTH) {
            return "notifyUrl is longer than " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "notifyUrl is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "notifyUrl must use http or https";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "notifyUrl must name a host and carry no credentials";
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (!isAllowed(address)) {
                    return "notifyUrl host resolves to a non-public address";
                }
            }
        } catch (UnknownHostException e) {
            return "notifyUrl host does not resolve";
        }
        return null;
    }

    public boolean isAllowed(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()
                || isMetadata(address)) {
            return false;
        }
        if (address.isSiteLocalAddress() || isUniqueLocalV6(address) || isCarrierGradeNat(address)) {
            return allowPrivate;
        }
        return true;
    }

    private static boolean isMetadata(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
    }

    private static boolean isUniqueLocalV6(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }

    private static boolean isCarrierGradeNat(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
