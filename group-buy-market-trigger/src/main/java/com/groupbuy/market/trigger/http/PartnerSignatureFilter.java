package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.security.WebhookSignature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Authenticates trade requests (lock, settlement, refund) by the partner's signature: headers {@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature} over the raw body, with the secret of the body's source +
 * channel (the one we sign its callbacks with). Malls written for the original platform send no signature, so it
 * is required only for the {@code source:channel} pairs listed (or {@code *}); a signature that is sent is always
 * checked. Refused → HTTP 401 with {@code E0207}, before anything is read or written.
 */
@Slf4j
public class PartnerSignatureFilter extends OncePerRequestFilter {

    public static final String ALL = "*";

    private final BiFunction<String, String, String> secretOf;
    private final Set<String> requiredFor;
    private final Clock clock;
    private final ObjectMapper json;

    public PartnerSignatureFilter(BiFunction<String, String, String> secretOf, Set<String> requiredFor, Clock clock,
                                  ObjectMapper json) {
        this.secretOf = secretOf;
        this.requiredFor = requiredFor;
        this.clock = clock;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String signature = request.getHeader("webhook-signature");
        if (signature == null && requiredFor.isEmpty()) {
            // Nothing to check: spare the lock/settle hot path a second read and parse of the body.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String[] sourceChannel = sourceChannel(body);
        // A body we cannot read source/channel from is left to the controller, which refuses it without writing.
        if (sourceChannel != null && (signature != null || required(sourceChannel[0], sourceChannel[1]))) {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!WebhookSignature.verify(secretOf.apply(sourceChannel[0], sourceChannel[1]),
                    request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"), text, signature,
                    clock.instant().getEpochSecond())) {
                log.warn("trade request refused: signature missing or wrong path={} source={} channel={}",
                        request.getRequestURI(), sourceChannel[0], sourceChannel[1]);
                refuse(response);
                return;
            }
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    private boolean required(String source, String channel) {
        return requiredFor.contains(ALL) || requiredFor.contains(source + ":" + channel);
    }

    private String[] sourceChannel(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.path("source").isTextual() || !node.path("channel").isTextual()) {
                return null;
            }
            return new String[]{node.path("source").asText().trim(), node.path("channel").asText().trim()};
        } catch (IOException e) {
            return null;
        }
    }

    private void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Response.builder().code(ResponseCode.E0207.getCode())
                .info(ResponseCode.E0207.getInfo() + ": sign the raw body with your source/channel secret "
                        + "(headers webhook-id, webhook-timestamp, webhook-signature)").build());
    }

    /** The request with its body readable again, since checking the signature consumed it. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous body only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
