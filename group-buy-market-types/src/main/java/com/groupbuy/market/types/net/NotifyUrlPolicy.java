package com.groupbuy.market.types.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which callback URLs we accept: http or https, bounded length, and a host that resolves only to public addresses
 * unless configuration allows loopback (one-machine setups) or private ranges ({@link AddressReach} classifies
 * every address after the IANA special-purpose registries). Refusing the rest keeps a caller from aiming our
 * callbacks at our own network (SSRF). The delivery client applies the same rule again when it connects, because a
 * name can resolve differently later. A URL is accepted only if the delivery client's own parser takes it too
 * ({@code sendable}): {@link URI} and the JDK's resolver take forms that client refuses, and such a lock was answered
 * {@code 0000} while none of its team's callbacks could ever be sent.
 */
public final class NotifyUrlPolicy {

    public static final int MAX_LENGTH = 512;
    /** The highest TCP port: a URL naming another port cannot be called. */
    static final int MAX_PORT = 65_535;
    /** Distinct URL texts whose form answer (and host) is kept: partners send a few each; past it, starts over. */
    static final int KEPT = 512;

    /** Hosts of URL texts: a pure function of the text, kept per exact text ({@link TextMemo}). */
    private static final TextMemo<String> HOSTS = new TextMemo<>(KEPT, MAX_LENGTH, NotifyUrlPolicy::parseHost);

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Predicate<String> sendable;
    /**
     * Form answers per exact URL text (#19): the form is a pure function of the text (java.net.URI's and the callback
     * client's parsers, this class's rules), and checking it took two full parses per lock, for the few URLs each
     * partner sends. Bounded ({@link #KEPT} texts, then starts over).
     */
    private final TextMemo<Optional<String>> forms =
            new TextMemo<>(KEPT, MAX_LENGTH, url -> Optional.ofNullable(checkForm(url)));

    /**
     * @param sendable whether the callback client can send to a URL (its own parser accepts it), asked of the trimmed
     *     text once {@link URI} has accepted it
     */
    public NotifyUrlPolicy(boolean allowLoopback, boolean allowPrivate, Predicate<String> sendable) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.sendable = sendable;
    }

    /**
     * Returns null when the URL is acceptable, else the reason it is refused. Resolves the host on the caller's thread
     * without a bound: for settings read at start-up. A partner's lock checks {@link #formRefusal} first and the host
     * through a {@link NotifyHostLookup}.
     */
    public String refusal(String url) {
        String form = formRefusal(url);
        if (form != null) {
            return form;
        }
        try {
            return addressRefusal(InetAddress.getAllByName(hostOf(url)));
        } catch (UnknownHostException e) {
            return "notifyUrl host does not resolve";
        }
    }

    /** Everything but the host's addresses: null when the URL's form is acceptable, else the reason it is refused. */
    public String formRefusal(String url) {
        return forms.get(url).orElse(null);
    }

    private String checkForm(String url) {
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
        // java.net.URI takes any digits as a port: ":99999" or ":0" passed, the lock committed, and every callback to
        // it failed (OkHttp refuses such a URL) until its task was FAIL.
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > MAX_PORT)) {
            return "notifyUrl port must be from 1 to " + MAX_PORT;
        }
        // URI takes what the callback client refuses: an IPv6 literal with a zone ("[::1%lo]", which the JDK also
        // resolves) and a host label "xn--..." that is no valid punycode (a name server answers it like any label).
        // Such a lock committed, and none of its team's callbacks could ever be sent.
        if (!sendable.test(url.trim())) {
            return "notifyUrl is not a URL the callback client can send to";
        }
        return null;
    }

    /** The host of a URL {@link #formRefusal} accepted (an IPv6 address in its brackets, as the URL writes it). */
    public static String hostOf(String url) {
        return HOSTS.get(url);
    }

    private static String parseHost(String url) {
        return URI.create(url.trim()).getHost();
    }

    /** Form answers kept (for tests). */
    int keptForms() {
        return forms.size();
    }

    /** Hosts kept (for tests). */
    static int keptHosts() {
        return HOSTS.size();
    }

    /** Null when every address the host resolved to is allowed, else the reason the URL is refused. */
    public String addressRefusal(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (!isAllowed(address)) {
                return "notifyUrl host resolves to a non-public address";
            }
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
