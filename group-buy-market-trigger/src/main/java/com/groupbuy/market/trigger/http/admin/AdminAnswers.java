package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The envelopes the admin filters write themselves, before Spring MVC (whose exception resolvers would otherwise
 * answer them): a lock-out of failed authentications (429 {@code 0006}) and Redis unreachable (503 {@code E0401}).
 * Headers set earlier in the chain ({@link ResponseHeadersFilter}'s) stay.
 */
final class AdminAnswers {

    private AdminAnswers() {}

    /** 429 {@code 0006} with {@code Retry-After}: the same answer whatever token was sent. */
    static void tooManyFailures(HttpServletResponse response, AdminAuthLimit.Refusal refusal) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.seconds()));
        write(response, 429, ResponseCode.RATE_LIMITER.getCode(), refusal.info());
    }

    /**
     * 503 {@code E0401} with {@code Retry-After}: the store of failures or sign-outs is unreachable. {@code
     * retryAfterSeconds} is {@code gbm.outage.retry-after} in whole seconds, at least 1 (less is refused at start).
     */
    static void unavailable(HttpServletResponse response, long retryAfterSeconds) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        write(response, 503, ResponseCode.E0401.getCode(), ResponseCode.E0401.getInfo());
    }

    /** {@code info} is our own text (no quote, backslash or control character), so it is written as it is. */
    private static void write(HttpServletResponse response, int status, String code, String info) throws IOException {
        byte[] body = ("{\"code\":\"" + code + "\",\"info\":\"" + info + "\",\"data\":null}")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
