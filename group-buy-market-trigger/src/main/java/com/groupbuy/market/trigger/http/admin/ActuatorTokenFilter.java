package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the actuator with the admin token ({@code X-Admin-Token}). {@code /actuator/health} stays open so a load
 * balancer can read UP/DOWN; a request with the token is marked authorized, which is what
 * {@code management.endpoint.health.show-details: when-authorized} shows details to. When {@code protect} is on
 * (prod), every other actuator path (metrics, info, the index) answers 403 without the token. {@code /actuator/prometheus}
 * answers 403 without the token whenever {@code protectPrometheus} is on (every profile but the loopback-only default).
 */
public class ActuatorTokenFilter extends OncePerRequestFilter {

    static final String OPERATOR = "operator";

    private final AdminToken adminToken;
    private final boolean protect;
    private final boolean protectPrometheus;

    public ActuatorTokenFilter(AdminToken adminToken, boolean protect) {
        this(adminToken, protect, protect);
    }

    public ActuatorTokenFilter(AdminToken adminToken, boolean protect, boolean protectPrometheus) {
        this.adminToken = adminToken;
        this.protect = protect;
        this.protectPrometheus = protect || protectPrometheus;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals("/actuator") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("X-Admin-Token");
        boolean authorized = adminToken.admits(given);
        if (authorized) {
            chain.doFilter(new Operator(request), response);
            return;
        }
        String path = path(request);
        boolean guarded = protect || protectPrometheus && isPrometheus(path);
        if (!guarded || path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            chain.doFilter(request, response);
            return;
        }
        AdminToken.writeRefusal(response);
    }

    private static boolean isPrometheus(String path) {
        return path.equals("/actuator/prometheus") || path.startsWith("/actuator/prometheus/");
    }

    /** The servlet path, decoded and normalized by the container (no {@code ..}, no {@code ;params}). */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        return servletPath + pathInfo;
    }

    /** The request of an operator who showed the admin token: the actuator's "authorized". */
    private static final class Operator extends HttpServletRequestWrapper {

        Operator(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> OPERATOR;
        }

        @Override
        public boolean isUserInRole(String role) {
            return true;
        }
    }
}
