package com.groupbuy.market.trigger.http.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's session cookie: {@code <expiry>.<nonce>.<mac>}, signed with a key derived from the admin token, so
 * every instance with the same token accepts it, and rotating the token ends every session. The MAC is compared in
 * constant time. The nonce (16 random bytes) is the session's id: signing out records it in {@link ConsoleSignOuts}
 * until the expiry, and a signed-out cookie is refused ({@link ConsoleSessionFilter}). Cookies issued before ids were
 * checked have the same form, so they too can be signed out.
 * <p>
 * A named operator's session ({@code gbm.admin.operators.<name>}, {@link ConsoleSessions}) carries the operator's name
 * as well: {@code <expiry>.<nonce>.<name>.<mac>} (the name base64url), signed with a key of that operator's own,
 * derived from the service's session key and the operator's token digest: a cookie names the operator it was issued
 * to, no other, and changing or removing that operator's digest ends their sessions and no one else's.
 */
public final class ConsoleSession {

    public static final String COOKIE = "GBM_CONSOLE";
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    /** The named operator's name, base64url, as the cookie carries it; null for the shared token's sessions. */
    private final String operator;

    private final Clock clock;

    public ConsoleSession(String adminToken, Clock clock) {
        this(adminToken == null || adminToken.isEmpty() ? null : derive(adminToken), null, clock);
    }

    private ConsoleSession(byte[] key, String operator, Clock clock) {
        this.key = key;
        this.operator = operator == null ? null : B64.encodeToString(operator.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /**
     * The sessions of named operator {@code name}, whose token's digest is {@code digest}: signed with a key derived
     * from the service's {@code sessionKey} (shared by every instance, never configured) and both.
     */
    static ConsoleSession ofOperator(String name, byte[] digest, byte[] sessionKey, Clock clock) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
            mac.update(("gbm console session of\u0000" + name + "\u0000").getBytes(StandardCharsets.UTF_8));
            return new ConsoleSession(mac.doFinal(digest), name, clock);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The operator a cookie of the form {@code <expiry>.<nonce>.<name>.<mac>} names (unchecked); else null. */
    static String operatorOf(String value) {
        if (value == null || value.length() > 200) {
            return null;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A fresh session value, valid for {@link #LIFETIME}. */
    String issue() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String payload = Instant.now(clock).plus(LIFETIME).getEpochSecond() + "." + B64.encodeToString(nonce)
                + (operator == null ? "" : "." + operator);
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** A session this token signed that has not expired: its id and expiry. */
    record Signed(String id, Instant expiry) {}

    /** True for a value this token signed that has not expired. */
    boolean valid(String value) {
        return signed(value) != null;
    }

    /** The session of a value this token signed that has not expired; null for anything else. */
    Signed signed(String value) {
        if (key == null || value == null || value.length() > 200) {
            return null;
        }
        int last = value.lastIndexOf('.');
        int first = value.indexOf('.');
        if (first <= 0 || last <= first) {
            return null;
        }
        String payload = value.substring(0, last);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(value.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(mac(payload), given)) {
            return null;
        }
        Instant expiry;
        try {
            expiry = Instant.ofEpochSecond(Long.parseLong(value.substring(0, first)));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
        String id = value.substring(first + 1, last);
        if (operator != null) {
            // <nonce>.<name>: the name this key is the operator's (the MAC covers it too).
            if (!id.endsWith("." + operator)) {
                return null;
            }
            id = id.substring(0, id.length() - operator.length() - 1);
        }
        return expiry.isAfter(Instant.now(clock)) ? new Signed(id, expiry) : null;
    }

    /** The {@code Set-Cookie} value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
    static String setCookie(String value, boolean secure) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String clearCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(String token) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("gbm console session\u0000" + token).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
