package com.groupbuy.market.infrastructure.gateway;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Partners' callback URLs parsed once (#19): every HTTP callback's URL was parsed twice per delivery, by the endpoint
 * guard (its {@code host:port}) and by OkHttp's request builder, each parse canonicalising the host (IDN, Unicode
 * normalisation), for the few URLs partners have. Parsing is a pure function of the text, so a parse kept is the parse
 * redone; what reaches the network is checked at connect time as before (the public-only Dns and socket factory).
 * Bounded: past {@link #MAX} distinct texts the cache starts over, so a stream of distinct URLs costs a parse each, as
 * before, and never memory.
 */
public final class NotifyUrls {

    static final int MAX = 1024;

    private static final ConcurrentHashMap<String, Optional<HttpUrl>> PARSED = new ConcurrentHashMap<>();

    private NotifyUrls() {}

    /** {@link HttpUrl#parse} of the text: null when it is not an http(s) URL. */
    public static HttpUrl parse(String url) {
        if (url == null) {
            return null;
        }
        Optional<HttpUrl> parsed = PARSED.get(url);
        if (parsed == null) {
            parsed = Optional.ofNullable(HttpUrl.parse(url));
            if (PARSED.size() >= MAX) {
                PARSED.clear();
            }
            PARSED.put(url, parsed);
        }
        return parsed.orElse(null);
    }

    /**
     * Whether the callback client can send to this URL (it parses as an http(s) URL): the lock's check asks it, so a
     * lock never commits a URL every callback to which would fail. Parsed apart from the cache: the texts locks send
     * are anyone's, and the cache is for the few partners' URLs that deliveries use. A parser failure of any kind is
     * "not sendable" (an E0204 to the caller), never an error of ours.
     */
    public static boolean sendable(String url) {
        try {
            return url != null && HttpUrl.parse(url) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static int size() {
        return PARSED.size();
    }
}
