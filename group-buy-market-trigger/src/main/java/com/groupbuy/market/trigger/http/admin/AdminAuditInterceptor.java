package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Records every admitted admin action that changes state (any method but GET, HEAD and OPTIONS) in {@code
 * admin_action}, right after it was answered ({@link AdminAudit}): the operator is the credential's ({@link
 * AdminToken#caller}), the outcome the answer's HTTP status and envelope code (noted by {@code TradeCodeAdvice}).
 * Registered after {@link AdminTokenInterceptor}: a call it refused (no or a wrong credential) is not recorded, or
 * anyone could fill the table; a call refused after it (a stray parameter, a body naming another operator, a task that
 * is not FAILed) is, with its code.
 */
public class AdminAuditInterceptor implements HandlerInterceptor {

    /** The request attribute holding the operator of an action to record; set by {@link #preHandle}. */
    static final String OPERATOR = AdminAuditInterceptor.class.getName() + ".operator";

    private final AdminToken adminToken;
    private final AdminAudit audit;

    public AdminAuditInterceptor(AdminToken adminToken, AdminAudit audit) {
        this.adminToken = adminToken;
        this.audit = audit;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)) {
            AdminToken.Operator operator = adminToken.caller(request);
            if (operator != null) {
                request.setAttribute(OPERATOR, operator);
            }
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
        if (request.getAttribute(OPERATOR) instanceof AdminToken.Operator operator) {
            audit.record(
                    operator,
                    request.getMethod(),
                    request.getRequestURI(),
                    request.getQueryString(),
                    request.getRemoteAddr(),
                    response.getStatus(),
                    TradeRequestMeter.codeOf(request));
        }
    }
}
