package com.groupbuy.market.trigger.http;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.annotation.Annotation;
import org.springframework.core.MethodParameter;
import org.springframework.validation.Errors;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;

/**
 * A {@code @RequestBody} with nothing to validate, read by Spring's own body processor without a data binder (#19).
 * For every body parameter Spring builds a {@code WebDataBinder} with its {@code BindingResult}, looks through the
 * parameter's annotations for {@code @Valid} and puts the result into the model: work that decides nothing when the
 * parameter carries no annotation but {@code @RequestBody} and no {@code Errors} parameter follows it (no endpoint of
 * ours has either). Those parameters go to the very same {@link RequestResponseBodyMethodProcessor} Spring made, with
 * its converters ({@link StrictJsonReader} first) and body advice ({@link PartnerSignatureCheck}), without a binder
 * factory, which that processor documents as optional and then skips the binder. Everything that reads and refuses a
 * body (the strict mapping errors answered {@code 0002}, a missing body, the signature check, the content type) is
 * unchanged; any other body parameter is left to Spring's processor as before. A JSON body declared past
 * {@link StrictJsonReader#MAX_BODY_BYTES} is refused here, before Spring reads its first byte.
 */
public final class UnboundRequestBodyResolver implements HandlerMethodArgumentResolver {

    private final RequestResponseBodyMethodProcessor bodies;

    public UnboundRequestBodyResolver(RequestResponseBodyMethodProcessor bodies) {
        this.bodies = bodies;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        if (!parameter.hasParameterAnnotation(RequestBody.class)) {
            return false;
        }
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            if (!(annotation instanceof RequestBody)) {
                // @Valid, @Validated, a constraint or anything else the binder might act on: Spring's path.
                return false;
            }
        }
        Class<?>[] types = parameter.getExecutable().getParameterTypes();
        int next = parameter.getParameterIndex() + 1;
        return next >= types.length || !Errors.class.isAssignableFrom(types[next]);
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory)
            throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        if (request != null) {
            StrictJsonReader.refuseDeclaredTooLarge(
                    parameter.getParameterType(), request.getContentType(), request.getContentLengthLong());
        }
        return bodies.resolveArgument(parameter, mavContainer, webRequest, null);
    }
}
