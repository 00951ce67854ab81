package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Records every admitted admin action that changes state (any method but GET, HEAD and OPTIONS) in {@code
 * admin_action}, right after it was answered ({@link AdminAudit}): the operator is the one {@link
 * AdminTokenInterceptor} admitted ({@link AdminTokenInterceptor#OPERATOR}, the credential's), the outcome the answer's
 * HTTP status and envelope code (noted by {@code TradeCodeAdvice}). Registered after {@link AdminTokenInterceptor}: a
 * call it refused (no or a wrong credential) is not recorded, or anyone could fill the table; a call refused after it
 * (a stray parameter, a body naming another operator, a task that is not FAILed) is, with its code.
 */
public class AdminAuditInterceptor implements HandlerInterceptor {

    private final AdminAudit audit;

    public AdminAuditInterceptor(AdminAudit audit) {
        this.audit = audit;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
        String method = request.getMethod();
        if (!"GET".equals(method)
                && !"HEAD".equals(method)
                && !"OPTIONS".equals(method)
                && request.getAttribute(AdminTokenInterceptor.OPERATOR) instanceof AdminToken.Operator operator) {
            audit.record(
                    operator,
                    method,
                    request.getRequestURI(),
                    request.getQueryString(),
                    request.getRemoteAddr(),
                    response.getStatus(),
                    TradeRequestMeter.codeOf(request));
        }
    }
}
