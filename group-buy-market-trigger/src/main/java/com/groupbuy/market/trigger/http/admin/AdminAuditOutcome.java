package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Notes the envelope code of an admin action's answer for {@link AdminAuditInterceptor}, whether its handler or an
 * exception handler wrote it. Only requests the interceptor marked are touched; the body is never changed.
 */
@RestControllerAdvice
public class AdminAuditOutcome implements ResponseBodyAdvice<Object> {

    static final String CODE = AdminAuditOutcome.class.getName() + ".code";

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof Response<?> answer
                && request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(AdminAuditInterceptor.OPERATOR) != null) {
            HttpServletRequest http = servlet.getServletRequest();
            http.setAttribute(CODE, answer.getCode());
        }
        return body;
    }
}
