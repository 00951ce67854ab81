package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a call to the admin API without the admin token (or the console's session, which {@link
 * ConsoleSessionFilter} turns into the token) before its handler runs: Spring binds a handler's parameters and reads
 * its body only after this, so an anonymous caller gets 403 whatever it sent, never a 200 {@code 0002} about a
 * parameter or a 400 about its body. Every admin handler still checks the token itself. The console's login (which
 * brings the token in its body) is not registered here.
 * <p>
 * An admitted action that changes state (any method but GET and HEAD) is logged with the operator whose credential
 * it showed ({@link AdminToken#caller}), before it runs: who re-drove, consumed or switched what, whatever its body
 * says.
 */
@Slf4j
public class AdminTokenInterceptor implements HandlerInterceptor {

    /** The request attribute holding the {@link AdminToken.Operator} this admitted (read by the audit). */
    static final String OPERATOR = AdminTokenInterceptor.class.getName() + ".operator";

    private final AdminToken adminToken;

    public AdminTokenInterceptor(AdminToken adminToken) {
        this.adminToken = adminToken;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        AdminToken.Operator operator = adminToken.caller(request);
        if (operator != null) {
            request.setAttribute(OPERATOR, operator);
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                log.info(
                        "admin {} {} by operator {}",
                        request.getMethod(),
                        AdminAuditInterceptor.pathRun(request),
                        operator.shown());
            }
            return true;
        }
        AdminToken.writeRefusal(response);
        return false;
    }
}
