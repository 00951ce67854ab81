package com.groupbuy.market.trigger.http.metrics;

import com.groupbuy.market.api.response.Response;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Notes the envelope's {@code code} on the request as the answer is written (controllers and the exception handler
 * alike), for {@link TradeRequestMeter} and the admin action audit. It only reads: the body goes out unchanged.
 */
@ControllerAdvice
public class TradeCodeAdvice implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof Response<?> envelope && request instanceof ServletServerHttpRequest servlet) {
            TradeRequestMeter.noteCode(servlet.getServletRequest(), envelope.getCode());
        }
        return body;
    }
}
