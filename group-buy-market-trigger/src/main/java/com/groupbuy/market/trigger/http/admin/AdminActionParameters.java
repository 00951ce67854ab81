package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.trigger.http.ShownName;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * An admin action that changes state (any method but GET and HEAD) takes only the query or form parameters its
 * handler declares, each once; anything else is {@code 0002} naming the parameter, before the handler runs, so
 * nothing is done: HTTP 200, as every other refusal of a request's content (a field missing or mistyped, docs/api.md;
 * 400 before 2026-12-04, the one admin refusal of its kind that was not). Spring ignores a parameter a handler does not declare and takes the first of a repeated one: a
 * misspelt filter ({@code redrive-failed?Source=s01}) meant "no filter" and re-drove every partner's FAIL tasks, and
 * {@code deliver-now?all=true&all=false} moved every waiting retry. Listings (GET) stay lenient: what they answer
 * shows what they filtered.
 */
public class AdminActionParameters implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || readOnly(request.getMethod())) {
            return true;
        }
        Set<String> declared = declared(method);
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (!declared.contains(name)) {
                throw refused(ShownName.of(name) + " is not a parameter of this action (names are case-sensitive)");
            }
            if (parameter.getValue().length > 1) {
                throw refused(ShownName.of(name) + " is given more than once");
            }
        }
        return true;
    }

    private static boolean readOnly(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    /** The names of the handler's {@code @RequestParam}s (as annotated, else the Java parameter's name). */
    private static Set<String> declared(HandlerMethod method) {
        return Stream.of(method.getMethodParameters())
                .filter(p -> p.hasParameterAnnotation(RequestParam.class))
                .map(p -> {
                    RequestParam param = p.getParameterAnnotation(RequestParam.class);
                    if (StringUtils.hasText(param.name())) {
                        return param.name();
                    }
                    return StringUtils.hasText(param.value())
                            ? param.value()
                            : p.getParameter().getName();
                })
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code 0002} with this reason, answered by the exception handler; nothing of the action runs. */
    private static AppException refused(String why) {
        return new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + why + "; nothing done");
    }
}
