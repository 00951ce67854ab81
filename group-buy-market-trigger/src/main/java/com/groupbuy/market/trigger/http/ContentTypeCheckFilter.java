package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Content-Type} no reader could honour — a wildcard ({@code *}{@code /*},
 * {@code application/*}), a value that does not parse, or an unknown charset — with 415 and our envelope. Spring
 * would otherwise fail deep inside body reading with an IllegalArgumentException, answered as our own fault (500).
 *
 * <p>So is a request whose body's form is not one we read: a {@code Content-Encoding} other than {@code identity}
 * (nothing here decompresses a body, so a body declared gzip was read as it came: a plain JSON body labelled gzip was
 * locked, a real gzip one answered 400 as broken JSON), more than one {@code Content-Type} (we read the first, a
 * proxy in front may judge the body by another), or one {@code Content-Type} naming its {@code charset} more than once
 * (the body was read in the last one named, a proxy in front may decode it in the first). Refused before a byte of the
 * body is read, nothing done.
 */
public class ContentTypeCheckFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal != null) {
            response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream()
                    .write(Envelope.json(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: " + refusal)
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the request's body cannot be read as sent, or null when it can (or it declares nothing). */
    static String refusal(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType != null && !usable(contentType)) {
            return "send application/json";
        }
        Enumeration<String> types = request.getHeaders(HttpHeaders.CONTENT_TYPE);
        if (types != null && types.hasMoreElements()) {
            types.nextElement();
            if (types.hasMoreElements()) {
                return "send one Content-Type, application/json";
            }
        }
        if (contentType != null && charsets(contentType) > 1) {
            return "name one charset in the Content-Type, application/json";
        }
        Enumeration<String> encodings = request.getHeaders(HttpHeaders.CONTENT_ENCODING);
        while (encodings != null && encodings.hasMoreElements()) {
            for (String coding : encodings.nextElement().split(",")) {
                if (!coding.isBlank() && !"identity".equalsIgnoreCase(coding.trim())) {
                    return "a Content-Encoding is not accepted: send the body uncompressed, without the header";
                }
            }
        }
        return null;
    }

    /**
     * How many {@code charset} parameters a Content-Type names. {@link MediaType} keeps only the last of several, so
     * this splits the parameters as its parser does: at each {@code ;} outside double quotes.
     */
    static int charsets(String contentType) {
        int count = 0;
        int start = contentType.indexOf(';');
        boolean quoted = false;
        for (int i = start + 1; start >= 0 && i <= contentType.length(); i++) {
            char ch = i < contentType.length() ? contentType.charAt(i) : ';';
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ';' && (!quoted || i == contentType.length())) {
                String parameter = contentType.substring(start + 1, i);
                int eq = parameter.indexOf('=');
                if ((eq < 0 ? parameter : parameter.substring(0, eq)).trim().equalsIgnoreCase("charset")) {
                    count++;
                }
                start = i;
                quoted = false;
            }
        }
        return count;
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
