package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Content-Type} no reader could honour — a wildcard ({@code *}{@code /*},
 * {@code application/*}), a value that does not parse, or an unknown charset — with 415 and our envelope. Spring
 * would otherwise fail deep inside body reading with an IllegalArgumentException, answered as our own fault (500).
 */
public class ContentTypeCheckFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !usable(contentType)) {
            response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream()
                    .write(Envelope.json(
                                    ResponseCode.ILLEGAL_PARAMETER.getCode(),
                                    "illegal parameter: send application/json")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean usable(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            type.getCharset();
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (RuntimeException e) {
            // InvalidMediaTypeException, IllegalCharsetNameException, UnsupportedCharsetException
            return false;
        }
    }
}
