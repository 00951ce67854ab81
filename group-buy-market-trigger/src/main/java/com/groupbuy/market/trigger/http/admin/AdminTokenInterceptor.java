package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a call to the admin API without the admin token (or the console's session, which {@link
 * ConsoleSessionFilter} turns into the token) before its handler runs: Spring binds a handler's parameters and reads
 * its body only after this, so an anonymous caller gets 403 whatever it sent, never a 200 {@code 0002} about a
 * parameter or a 400 about its body. Every admin handler still checks the token itself. The console's login (which
 * brings the token in its body) is not registered here.
 */
public class AdminTokenInterceptor implements HandlerInterceptor {

    private final AdminToken adminToken;

    public AdminTokenInterceptor(String token) {
        this.adminToken = new AdminToken(token);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (adminToken.admits(request.getHeader("X-Admin-Token"))) {
            return true;
        }
        AdminToken.writeRefusal(response);
        return false;
    }
}
