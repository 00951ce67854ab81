package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.trigger.http.MarketTradeController;
import com.groupbuy.market.trigger.http.StrictJsonReader;
import com.groupbuy.market.trigger.http.UnboundRequestBodyResolver;
import jakarta.validation.Valid;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.support.DefaultDataBinderFactory;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;

/** #19: which body parameters are read without a data binder, and that such a read is Spring's read otherwise. */
class UnboundRequestBodiesTest {

    @SuppressWarnings("unused")
    static final class Endpoints {
        void plain(@RequestBody LockMarketPayOrderRequestDTO body) {}

        void validated(@Valid @RequestBody LockMarketPayOrderRequestDTO body) {}

        void withErrors(@RequestBody LockMarketPayOrderRequestDTO body, BindingResult errors) {}

        void notABody(LockMarketPayOrderRequestDTO body) {}
    }

    private static MethodParameter firstParameter(Class<?> type, String name) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return new MethodParameter(method, 0);
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static RequestResponseBodyMethodProcessor springsProcessor() {
        List<HttpMessageConverter<?>> converters =
                List.of(new StrictJsonReader(new ObjectMapper()), new MappingJackson2HttpMessageConverter());
        return new RequestResponseBodyMethodProcessor(converters);
    }

    @Test
    void onlyABodyWithNothingToValidateAndNoErrorsAfterItSkipsTheBinder() {
        UnboundRequestBodyResolver resolver = new UnboundRequestBodyResolver(springsProcessor());

        assertThat(resolver.supportsParameter(firstParameter(Endpoints.class, "plain")))
                .isTrue();
        assertThat(resolver.supportsParameter(firstParameter(Endpoints.class, "validated")))
                .as("@Valid needs the binder")
                .isFalse();
        assertThat(resolver.supportsParameter(firstParameter(Endpoints.class, "withErrors")))
                .as("a following BindingResult reads the binder's result")
                .isFalse();
        assertThat(resolver.supportsParameter(firstParameter(Endpoints.class, "notABody")))
                .isFalse();
    }

    @Test
    void readsTheBodyThroughSpringsConvertersAndLeavesNoBindingResult() throws Exception {
        UnboundRequestBodyResolver resolver = new UnboundRequestBodyResolver(springsProcessor());
        ModelAndViewContainer model = new ModelAndViewContainer();

        Object read = resolver.resolveArgument(
                firstParameter(Endpoints.class, "plain"),
                model,
                jsonRequest("{\"userId\":\"u1\",\"activityId\":7}"),
                new DefaultDataBinderFactory(null));

        assertThat(read).isInstanceOf(LockMarketPayOrderRequestDTO.class);
        assertThat(((LockMarketPayOrderRequestDTO) read).getUserId()).isEqualTo("u1");
        assertThat(((LockMarketPayOrderRequestDTO) read).getActivityId()).isEqualTo(7L);
        assertThat(model.getModel()).isEmpty();
    }

    @Test
    void aWrongTypeIsStillTheStrictReadersRefusal() {
        UnboundRequestBodyResolver resolver = new UnboundRequestBodyResolver(springsProcessor());

        Throwable wrongType = catchThrowable(() -> resolver.resolveArgument(
                firstParameter(Endpoints.class, "plain"),
                new ModelAndViewContainer(),
                jsonRequest("{\"userId\":1}"),
                null));
        assertThat(wrongType).isInstanceOf(HttpMessageNotReadableException.class);
        assertThat(wrongType.getCause()).isInstanceOf(MismatchedInputException.class);
        assertThat(((MismatchedInputException) wrongType.getCause())
                        .getPath()
                        .get(0)
                        .getFieldName())
                .isEqualTo("userId");
        assertThatThrownBy(() -> resolver.resolveArgument(
                        firstParameter(Endpoints.class, "plain"), new ModelAndViewContainer(), jsonRequest(""), null))
                .as("no body at all: Spring's own refusal")
                .isInstanceOf(HttpMessageNotReadableException.class)
                .hasMessageContaining("Required request body is missing");
    }

    @Test
    void theAdaptersResolverForTheTradeBodiesIsTheUnboundOne() {
        RequestMappingHandlerAdapter adapter = new RequestMappingHandlerAdapter();
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.refresh();
        adapter.setApplicationContext(context);
        adapter.afterPropertiesSet();

        Object processed = WebEdgeConfig.unboundRequestBodies().postProcessAfterInitialization(adapter, "adapter");

        assertThat(processed).isSameAs(adapter);
        MethodParameter lock = firstParameter(MarketTradeController.class, "lockMarketPayOrder");
        MethodParameter validated = firstParameter(Endpoints.class, "validated");
        HandlerMethodArgumentResolver forLock = firstSupporting(adapter, lock);
        HandlerMethodArgumentResolver forValidated = firstSupporting(adapter, validated);
        assertThat(forLock).isInstanceOf(UnboundRequestBodyResolver.class);
        assertThat(forValidated).isInstanceOf(RequestResponseBodyMethodProcessor.class);
        assertThat(adapter.getArgumentResolvers())
                .filteredOn(r -> r instanceof UnboundRequestBodyResolver)
                .hasSize(1);
    }

    private static HandlerMethodArgumentResolver firstSupporting(
            RequestMappingHandlerAdapter adapter, MethodParameter parameter) {
        return adapter.getArgumentResolvers().stream()
                .filter(r -> r.supportsParameter(parameter))
                .findFirst()
                .orElseThrow();
    }

    private static ServletWebRequest jsonRequest(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/x");
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return new ServletWebRequest(request);
    }
}
