package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The operators' admin token ({@code gbm.admin.token}, sent as header {@code X-Admin-Token}): one comparison for every
 * admin endpoint and the actuator, in constant time so the answer's timing tells nothing; an empty token admits
 * nobody.
 */
public final class AdminToken {

    static final String REFUSED_INFO = "admin token missing or wrong";
    /** {@link #refusal()}'s body, for the filter and interceptor that answer before Spring MVC's converters. */
    private static final byte[] REFUSED_BODY = ("{\"code\":\"" + ResponseCode.ILLEGAL_PARAMETER.getCode()
                    + "\",\"info\":\"" + REFUSED_INFO + "\",\"data\":null}")
            .getBytes(StandardCharsets.UTF_8);

    private final byte[] expected;

    public AdminToken(String configured) {
        this.expected = configured == null ? new byte[0] : configured.getBytes(StandardCharsets.UTF_8);
    }

    public boolean admits(String given) {
        return expected.length > 0
                && given != null
                && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
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
