package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the console's browser call the admin API with its session cookie instead of {@code X-Admin-Token}: a valid
 * cookie that was not signed out ({@link ConsoleSignOuts}, one Redis read) stands for the token for that request. A
 * request that changes something must also carry {@code X-Gbm-Console: 1}, which a form on another site cannot send
 * (on top of SameSite=Strict). A request that brings its own {@code X-Admin-Token} is left as it is. Redis
 * unreachable: 503 {@code E0401} for a request that would have used its cookie (never a signed-out cookie admitted).
 * <p>
 * The request is its session's operator's ({@link ConsoleSessions}): a session of the shared {@code gbm.admin.token}
 * stands for that token, as it always did; a named operator's has no token to stand for, so it is marked with its
 * operator ({@link AdminToken#SESSION_OPERATOR}), which the admin API takes for that operator's token.
 */
public class ConsoleSessionFilter extends OncePerRequestFilter {

    static final String CONSOLE_HEADER = "X-Gbm-Console";

    private final String token;
    private final ConsoleSessions sessions;
    private final ConsoleSignOuts signOuts;
    private final long retryAfterSeconds;

    public ConsoleSessionFilter(
            String token, ConsoleSessions sessions, ConsoleSignOuts signOuts, long retryAfterSeconds) {
        this.token = token;
        this.sessions = sessions;
        this.signOuts = signOuts;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String cookie;
        if (request.getHeader("X-Admin-Token") == null
                && (cookie = cookie(request)) != null
                && (safe(request.getMethod()) || "1".equals(request.getHeader(CONSOLE_HEADER)))) {
            ConsoleSessions.Session session;
            try {
                session = sessions.signed(cookie);
                if (session != null && signOuts.signedOut(session.id())) {
                    session = null;
                }
            } catch (DependencyUnavailableException e) {
                AdminAnswers.unavailable(response, retryAfterSeconds);
                return;
            }
            if (session != null && session.operator().shared()) {
                chain.doFilter(new WithToken(request, token), response);
                return;
            }
            if (session != null) {
                request.setAttribute(AdminToken.SESSION_OPERATOR, session.operator());
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean safe(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    static String cookie(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        for (Cookie cookie : request.getCookies()) {
            if (ConsoleSession.COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** The request as if it carried the admin token (in this process only; nothing is sent anywhere). */
    private static final class WithToken extends HttpServletRequestWrapper {

        private final String token;

        WithToken(HttpServletRequest request, String token) {
            super(request);
            this.token = token;
        }

        @Override
        public String getHeader(String name) {
            return "X-Admin-Token".equalsIgnoreCase(name) ? token : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "X-Admin-Token".equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(token))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            java.util.List<String> names = Collections.list(super.getHeaderNames());
            names.add("X-Admin-Token");
            return Collections.enumeration(names);
        }
    }
}
