package com.groupbuy.market.types.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signature, both ways: we sign the callbacks we send, and a partner signs the trade requests it
 * sends us, with the same per source + channel secret. {@code v1,} + base64(HMAC-SHA256(secret, id + "." + timestamp
 * + "." + body)), the secret taken as its UTF-8 bytes.
 */
public final class WebhookSignature {

    /** How far a signed timestamp may be from our clock before the request counts as a replay. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {}

    /**
     * One Mac per thread: {@code Mac.getInstance} plus the provider choice of a first {@code init} cost more than the
     * HMAC itself (a third of an MQ publish in the drain profile, docs/benchmarks.md); a re-init only sets the key.
     */
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    public static String sign(String secret, String id, long timestampSeconds, String body) {
        return sign(secret, id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #sign(String, String, long, String)} over the body's bytes as sent, whatever their charset. */
    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * True when one of the space-separated signatures in {@code header} is ours for this id, timestamp and body, and
     * the timestamp is within {@link #TOLERANCE} of {@code nowSeconds}. Compared in constant time.
     */
    public static boolean verify(
            String secret, String id, String timestamp, String body, String header, long nowSeconds) {
        return verify(
                secret, id, timestamp, body == null ? null : body.getBytes(StandardCharsets.UTF_8), header, nowSeconds);
    }

    /**
     * {@link #verify(String, String, String, String, String, long)} over the body's bytes exactly as received: a
     * request's signature must cover what its reader decodes (in the charset the request names), never a re-decoding
     * in which different bytes become the same text.
     */
    public static boolean verify(
            String secret, String id, String timestamp, byte[] body, String header, long nowSeconds) {
        if (body == null) {
            return false;
        }
        // An empty secret (a setting given no value) signs nothing we could check: the JDK refuses an empty HMAC key,
        // and the check threw instead of refusing.
        if (secret == null || secret.isEmpty() || id == null || id.isBlank() || timestamp == null || header == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        // Bounds around now, not Math.abs(now - seconds): that difference overflows for a timestamp about 2^63 away,
        // and Math.abs(Long.MIN_VALUE) is negative, so such a timestamp read as "within the tolerance".
        if (seconds < nowSeconds - TOLERANCE.getSeconds() || seconds > nowSeconds + TOLERANCE.getSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, id, seconds, body).getBytes(StandardCharsets.UTF_8);
        for (String given : header.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }
}
