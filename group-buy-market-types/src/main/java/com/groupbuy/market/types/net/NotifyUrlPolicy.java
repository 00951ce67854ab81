package com.groupbuy.market.types.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which callback URLs we accept: http or https, bounded length, and a host that resolves only to public addresses
 * unless configuration allows loopback (one-machine setups) or private ranges ({@link AddressReach} classifies
 * every address after the IANA special-purpose registries). Refusing the rest keeps a caller from aiming our
 * callbacks at our own network (SSRF). The delivery client applies the same rule again when it connects, because a
 * name can resolve differently later.
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

    /** Public addresses always; loopback and private networks only when configured; every other range never. */
    public boolean isAllowed(InetAddress address) {
        return switch (AddressReach.of(address)) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            case NEVER -> false;
        };
    }
}
