package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits guesses of the admin token sent as {@code X-Admin-Token} (to the admin API and the actuator; registered on
 * those paths only, never the partners' API). Every request that presents the header is an authentication: while its
 * client address, or all addresses together, are past {@link AdminAuthLimit}'s failures, it answers 429 {@code 0006}
 * whatever the token — the right one too, or the lock-out would tell an attacker which guess was right — and a wrong
 * token is counted before the request goes on to be refused (403) where it always was. The right token is never
 * counted; it makes its address a known one, which the limit of all addresses does not lock out. A request without the header (a console session cookie, or nothing) is not a guess and passes untouched:
 * signed-in consoles keep working through a lock-out. The client address is the connection's
 * ({@code getRemoteAddr()}): {@code X-Forwarded-For} counts only where {@code server.forward-headers-strategy} trusts
 * a proxy. Redis unreachable: 503 {@code E0401} to every request presenting the token (fails closed).
 * <p>
 * Runs right after {@link ResponseHeadersFilter} and before {@link ConsoleSessionFilter}, which adds the header for a
 * valid cookie: a cookie is never taken for a guess.
 */
@Slf4j
public class AdminAuthGuardFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Admin-Token";

    private final AdminToken adminToken;
    private final AdminAuthLimit limit;
    private final long retryAfterSeconds;

    public AdminAuthGuardFilter(AdminToken adminToken, AdminAuthLimit limit, long retryAfterSeconds) {
        this.adminToken = adminToken;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given == null) {
            chain.doFilter(request, response);
            return;
        }
        String client = request.getRemoteAddr();
        try {
            // Compared first (in memory, constant time), then the limit speaks before anything is told: the right
            // token from an address at its limit is refused like a wrong one. A wrong one is checked and counted in
            // one step; the right one only checked, so an operator's calls sent at once are never counted.
            boolean right = adminToken.admits(given);
            AdminAuthLimit.Refusal refusal = right ? limit.refusal(client) : limit.failure(client);
            if (refusal != null) {
                AdminAnswers.tooManyFailures(response, refusal);
                return;
            }
            if (right) {
                limit.succeeded(client);
            }
        } catch (DependencyUnavailableException e) {
            log.warn(
                    "{} {} answered E0401: admin authentication limit unavailable ({})",
                    request.getMethod(),
                    request.getRequestURI(),
                    e.getMessage());
            AdminAnswers.unavailable(response, retryAfterSeconds);
            return;
        }
        chain.doFilter(request, response);
    }
}
