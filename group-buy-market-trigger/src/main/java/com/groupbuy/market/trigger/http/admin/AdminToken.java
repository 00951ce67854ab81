package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Who may call the admin endpoints and the actuator, and who they are. Two kinds of credential, both sent as header
 * {@code X-Admin-Token} (or signed in once at the console):
 * <ul>
 *   <li>a named operator's token: {@code gbm.admin.operators.<name>} holds the SHA-256 hex digest of it (never the
 *       token), so the request's operator is the one whose token it showed, and removing the entry revokes that
 *       operator alone;
 *   <li>the shared {@code gbm.admin.token}, as before named operators existed: its holder is {@link Operator#shared()},
 *       whose audit names whoever the request's body says (a switch change's {@code operator}), as it always did.
 * </ul>
 * Every comparison is constant time (each digest and the shared token compared, whichever matched), so the answer's
 * timing tells nothing; nothing configured admits nobody. The configuration is checked once, when this is built: a
 * name or digest that is not one, or two credentials that are one token, stop the start naming the key.
 */
public final class AdminToken {

    /** The request attribute holding the {@link Operator} of a console session that has no token to show. */
    static final String SESSION_OPERATOR = AdminToken.class.getName() + ".operator";

    /** Names as the configuration binds them from properties and from the environment alike: lower case. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private static final Pattern DIGEST = Pattern.compile("[0-9a-fA-F]{64}");

    static final String REFUSED_INFO = "admin token missing or wrong";
    /** {@link #refusal()}'s body, for the filter and interceptor that answer before Spring MVC's converters. */
    private static final byte[] REFUSED_BODY = ("{\"code\":\"" + ResponseCode.ILLEGAL_PARAMETER.getCode()
                    + "\",\"info\":\"" + REFUSED_INFO + "\",\"data\":null}")
            .getBytes(StandardCharsets.UTF_8);

    /**
     * Who showed a credential. {@code shared}: the holder of {@code gbm.admin.token}, whom nothing names; else the
     * named operator {@code name}.
     */
    public record Operator(String name, boolean shared) {

        static final Operator SHARED = new Operator("gbm.admin.token", true);

        /** How a log line names them. */
        public String shown() {
            return shared ? "(holder of gbm.admin.token)" : name;
        }
    }

    private final byte[] expected;
    /** Name to digest, in a fixed order. */
    private final Map<String, byte[]> digests;

    /** Only the shared token ({@code gbm.admin.token}), as before named operators. */
    public AdminToken(String configured) {
        this(configured, Map.of());
    }

    /**
     * {@code configured}: {@code gbm.admin.token} (empty: none); {@code operators}: {@code gbm.admin.operators},
     * name to SHA-256 hex digest of that operator's token.
     *
     * @throws IllegalArgumentException naming the key of a bad name or digest, or of two credentials that are one
     */
    public AdminToken(String configured, Map<String, String> operators) {
        this.expected = configured == null ? new byte[0] : configured.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> checked = new TreeMap<>();
        Map<String, String> byDigest = new HashMap<>();
        if (expected.length > 0) {
            byDigest.put(HexFormat.of().formatHex(sha256(configured)), "gbm.admin.token");
        }
        (operators == null ? Map.<String, String>of() : new TreeMap<>(operators)).forEach((name, digest) -> {
            String key = "gbm.admin.operators." + name;
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(key + ": an operator's name is 1 to 64 of a-z, 0-9, '.', '_', '-'"
                        + " (lower case, starting with a letter or digit)");
            }
            if (digest == null || !DIGEST.matcher(digest.trim()).matches()) {
                throw new IllegalArgumentException(key + " is not a SHA-256 hex digest (64 hex digits; "
                        + (digest == null ? "none" : digest.trim().length() + " characters") + " given): set the "
                        + "digest of the operator's token, never the token (docs/operations.md)");
            }
            String hex = digest.trim().toLowerCase(Locale.ROOT);
            String other = byDigest.putIfAbsent(hex, key);
            if (other != null) {
                throw new IllegalArgumentException(key + " and " + other + " are the same token: every operator "
                        + "needs a token of their own, or the audit cannot tell them apart");
            }
            checked.put(name, HexFormat.of().parseHex(hex));
        });
        this.digests = Collections.unmodifiableMap(checked);
    }

    public boolean admits(String given) {
        return holder(given) != null;
    }

    /**
     * Whose credential {@code given} is: a named operator, the shared token's holder, or null for nobody. Every
     * digest and the shared token are compared, whichever matches.
     */
    public Operator holder(String given) {
        if (given == null) {
            return null;
        }
        byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
        Operator found = null;
        if (!digests.isEmpty()) {
            byte[] digest = sha256(given);
            for (Map.Entry<String, byte[]> operator : digests.entrySet()) {
                if (MessageDigest.isEqual(operator.getValue(), digest) && found == null) {
                    found = new Operator(operator.getKey(), false);
                }
            }
        }
        boolean shared = expected.length > 0 && MessageDigest.isEqual(expected, bytes);
        return found != null ? found : shared ? Operator.SHARED : null;
    }

    /**
     * Who calls this admin endpoint: the holder of the token it showed ({@code given}, the header), else the operator
     * of its console session ({@link ConsoleSessionFilter}); null for nobody.
     */
    public Operator caller(String given) {
        if (given != null) {
            return holder(given);
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object session =
                request == null ? null : request.getAttribute(SESSION_OPERATOR, RequestAttributes.SCOPE_REQUEST);
        return session instanceof Operator operator && digests.containsKey(operator.name()) ? operator : null;
    }

    /** {@link #caller(String)} of a request in hand (a filter's or interceptor's). */
    public Operator caller(HttpServletRequest request) {
        String given = request.getHeader("X-Admin-Token");
        if (given != null) {
            return holder(given);
        }
        return request.getAttribute(SESSION_OPERATOR) instanceof Operator operator
                        && digests.containsKey(operator.name())
                ? operator
                : null;
    }

    /** The digest of operator {@code name}'s token; null when no operator has that name (now). */
    byte[] digestOf(String name) {
        return name == null ? null : digests.get(name);
    }

    /** True when any named operator is configured. */
    boolean hasOperators() {
        return !digests.isEmpty();
    }

    /** True when {@code name} is a named operator's. */
    public boolean isOperator(String name) {
        return name != null && digests.containsKey(name);
    }

    /** The SHA-256 of a token's UTF-8 bytes: what {@code gbm.admin.operators.<name>} holds, in hex. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What every admin endpoint answers a caller without the token: 403 with {@code 0002}. */
    static <T> ResponseEntity<Response<T>> refusal() {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .body(Response.<T>builder()
                        .code(ResponseCode.ILLEGAL_PARAMETER.getCode())
                        .info(REFUSED_INFO)
                        .build());
    }

    /** The same refusal written straight to the servlet response (403, the envelope). */
    static void writeRefusal(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(REFUSED_BODY.length);
        response.getOutputStream().write(REFUSED_BODY);
    }
}
