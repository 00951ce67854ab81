package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.UrlPathHelper;

/**
 * Records every admitted admin action that changes state (any method but GET, HEAD and OPTIONS) in {@code
 * admin_action} before it runs, and its outcome once it answered ({@link AdminAudit}). The operator is the one {@link
 * AdminTokenInterceptor} admitted ({@link AdminTokenInterceptor#OPERATOR}, the credential's); the outcome the answer's
 * HTTP status and envelope code (noted by {@code TradeCodeAdvice}). When the row cannot be written the action is
 * refused (E0401, HTTP 503) and nothing else runs: no action takes effect unrecorded. Registered after {@link
 * AdminTokenInterceptor}: a call it refused (no or a wrong credential) is not recorded, or anyone could fill the
 * table; a call refused after it (a stray parameter, a body naming another operator, a task that is not FAILed) is,
 * with its code.
 */
public class AdminAuditInterceptor implements HandlerInterceptor {

    /** The request attribute holding the id of the action's row, while its outcome is to be filled in. */
    static final String RECORDED = AdminAuditInterceptor.class.getName() + ".recorded";

    private final AdminAudit audit;

    public AdminAuditInterceptor(AdminAudit audit) {
        this.audit = audit;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if (!"GET".equals(method)
                && !"HEAD".equals(method)
                && !"OPTIONS".equals(method)
                && request.getAttribute(AdminTokenInterceptor.OPERATOR) instanceof AdminToken.Operator operator) {
            // Throws when the row cannot be written: the exception resolvers answer E0401 and the handler never runs.
            long id =
                    audit.admit(operator, method, pathRun(request), request.getQueryString(), request.getRemoteAddr());
            request.setAttribute(RECORDED, id);
        }
        return true;
    }

    /**
     * The request's path as routed: without its segments' path parameters ({@code ;x=1}), which the handler mapping
     * and the token check ignore. Recorded as sent, {@code POST /api/v1;x=1/gbm/admin/switches/degrade} changed the
     * switch under a path no search for {@code /api/v1/gbm/admin/switches/} finds. Still encoded: an encoded {@code
     * %3B} is part of its segment's value (a path variable's), and stays. Spring's own stripping (each {@code ;} to its
     * segment's end), as the handler mapping's.
     */
    static String pathRun(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.removeSemicolonContent(request.getRequestURI());
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
        if (request.getAttribute(RECORDED) instanceof Long id) {
            request.removeAttribute(RECORDED);
            audit.answered(id, response.getStatus(), TradeRequestMeter.codeOf(request));
        }
    }
}
