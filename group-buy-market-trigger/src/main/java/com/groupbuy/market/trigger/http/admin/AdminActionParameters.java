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
import org.springframework.web.bind.annotation.RequestBody;
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
 *
 * <p>Parameters the container does not read refuse the action too. Tomcat drops them without a word — the fields
 * of a multipart body (no multipart resolver here; refused by its content type), a form past
 * {@code server.tomcat.max-http-form-post-size} or {@code max-parameter-count}, a broken {@code %} escape — and the
 * action ran as if none were given: {@code curl -F source=s01 -F channel=c01 …/redrive-failed} re-drove every
 * partner's FAIL tasks (AdminRefusalIT). A body an action does not read refuses it as well: Spring never reads a body
 * the handler does not declare, so {@code {"source":"s01","channel":"c01"}} sent as JSON to {@code redrive-failed}
 * re-drove every partner's FAIL tasks too.
 */
public class AdminActionParameters implements HandlerInterceptor {

    /** Tomcat's request attribute ({@code Globals.PARAMETER_PARSE_FAILED_ATTR}): set when parameters were dropped. */
    static final String PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || readOnly(request.getMethod())) {
            return true;
        }
        Set<String> declared = declared(method);
        Map<String, String[]> parameters = request.getParameterMap();
        String type = request.getContentType();
        if (request.getAttribute(PARSE_FAILED) != null || isType(type, "multipart/")) {
            throw refused("the parameters could not be read (a multipart body, a form too large or with too many"
                    + " fields, a broken escape): give them in the query string");
        }
        if (hasBody(request) && !isType(type, "application/x-www-form-urlencoded") && !takesBody(method)) {
            throw refused("this action takes no body: give its parameters in the query string");
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
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

    /** A body that is not a form (whose fields Tomcat reads as parameters, checked above) and not declared. */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Whether the content type {@code type} begins with {@code prefix}, in any case. */
    private static boolean isType(String type, String prefix) {
        return type != null && type.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static boolean takesBody(HandlerMethod method) {
        return Stream.of(method.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
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
