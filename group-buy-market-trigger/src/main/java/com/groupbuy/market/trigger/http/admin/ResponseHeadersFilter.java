package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sets fixed headers on every answer of the paths it is registered for, before anything else answers (so refusals
 * and error pages carry them too). Headers only: the body, and so the envelope, is never touched.
 */
public class ResponseHeadersFilter extends OncePerRequestFilter {

    /**
     * The console's pages load only their own scripts and styles, no other site may frame them (clickjacking of the
     * re-drive buttons), nothing is kept in a cache, and no address of theirs is sent on as a referrer.
     */
    public static final Map<String, String> CONSOLE_PAGES = Map.of(
            "Content-Security-Policy",
                    "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer");

    /**
     * The admin API's answers hold partners' user ids, order numbers, callback addresses and their error bodies: a
     * browser or a proxy must not keep them (they stayed in the console operator's disk cache after sign-out), must
     * not read them as anything but JSON, and no page may frame or run them.
     */
    public static final Map<String, String> ADMIN_ANSWERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer");

    private final Map<String, String> headers;

    public ResponseHeadersFilter(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        headers.forEach(response::setHeader);
        chain.doFilter(request, response);
    }
}
