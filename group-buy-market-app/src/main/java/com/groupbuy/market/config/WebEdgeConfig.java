package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.trigger.http.ContentTypeCheckFilter;
import com.groupbuy.market.trigger.http.ExpectContinueValve;
import com.groupbuy.market.trigger.http.JsonErrorReportValve;
import com.groupbuy.market.trigger.http.MarketTradeController;
import com.groupbuy.market.trigger.http.PartnerSignatureCheck;
import com.groupbuy.market.trigger.http.ServerWideOptionsAdapter;
import com.groupbuy.market.trigger.http.SizedJsonWriter;
import com.groupbuy.market.trigger.http.StrictJsonReader;
import com.groupbuy.market.trigger.http.TradeEdgeFilter;
import com.groupbuy.market.trigger.http.UnboundRequestBodyResolver;
import com.groupbuy.market.trigger.http.UnservedMethodFilter;
import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;

/**
 * The HTTP edge: what we accept and how every answer leaves. Request bodies are read strictly
 * ({@link StrictJsonReader}); the {@code Accept} header is ignored, so an answer is always our JSON envelope and a
 * committed write can never turn into a 406 while its answer is written; unusable content types are refused before
 * Spring reads anything ({@link ContentTypeCheckFilter}); and the pages Tomcat writes itself are JSON
 * ({@link JsonErrorReportValve}), as are OPTIONS (the server-wide {@code OPTIONS *} too) and TRACE
 * ({@link UnservedMethodFilter}).
 */
@Configuration
public class WebEdgeConfig implements WebMvcConfigurer {

    private final ObjectMapper objectMapper;
    /** One strict reader for Spring's converter list and the lean trade path ({@link TradeEdgeFilter}). */
    private final StrictJsonReader strictReader;

    public WebEdgeConfig(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
        this.strictReader = new StrictJsonReader(objectMapper);
    }

    /**
     * The shared Jackson converter, which writes every answer, becomes a {@link SizedJsonWriter} (the same mapper and
     * media types; small answers framed by their length), and the strict reader goes right before it.
     *
     * <p>Jackson's converters for other formats go: Spring adds one for each data format on the class path, and
     * springdoc brings YAML's, so a body sent as {@code application/yaml} was read by a lenient mapper, past every rule
     * of the strict reader ({@code activityId: "100"} and {@code userId: true} locked, a field given twice took its last
     * value, no 64 KiB bound). JSON is the only body we read; anything else is 415 {@code 0002}, as {@code text/plain}.
     */
    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(converter -> converter instanceof AbstractJackson2HttpMessageConverter
                && !(converter instanceof MappingJackson2HttpMessageConverter));
        for (int i = 0; i < converters.size(); i++) {
            if (converters.get(i) instanceof MappingJackson2HttpMessageConverter jackson) {
                SizedJsonWriter sized = new SizedJsonWriter(jackson.getObjectMapper());
                sized.setSupportedMediaTypes(jackson.getSupportedMediaTypes());
                converters.set(i, sized);
                converters.add(i, strictReader);
                return;
            }
        }
        throw new IllegalStateException("no Jackson converter to put the strict request reader before");
    }

    /** Whatever it says, every request is taken to accept anything, and each endpoint answers what it produces (JSON). */
    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(request -> ContentNegotiationStrategy.MEDIA_TYPE_ALL_LIST));
    }

    /**
     * Puts {@link UnboundRequestBodyResolver} right before each of Spring's request-body processors, wrapping that
     * same processor (its converters and body advice): argument resolvers added through a {@code WebMvcConfigurer}
     * are asked only after Spring's own, which claim every {@code @RequestBody}. Done on the adapter once it is
     * initialised, when its resolver list (with the advice found on {@code @ControllerAdvice} beans) is complete.
     */
    @Bean
    public static BeanPostProcessor unboundRequestBodies() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getArgumentResolvers() != null) {
                    List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
                    for (HandlerMethodArgumentResolver resolver : adapter.getArgumentResolvers()) {
                        if (resolver instanceof RequestResponseBodyMethodProcessor bodies) {
                            resolvers.add(new UnboundRequestBodyResolver(bodies));
                        }
                        resolvers.add(resolver);
                    }
                    adapter.setArgumentResolvers(resolvers);
                }
                return bean;
            }
        };
    }

    @Bean
    public FilterRegistrationBean<ContentTypeCheckFilter> contentTypeCheckFilter() {
        FilterRegistrationBean<ContentTypeCheckFilter> registration =
                new FilterRegistrationBean<>(new ContentTypeCheckFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Lock, settlement and refund served without Spring MVC's dispatch (#19), right after the two filters above (which
     * refuse what no reader could honour and answer OPTIONS/TRACE): see {@link TradeEdgeFilter}. Off
     * ({@code gbm.http.lean-trade-edge=false}), those requests take Spring's path like every other.
     */
    @Bean
    public FilterRegistrationBean<TradeEdgeFilter> tradeEdgeFilter(
            @Value("${gbm.http.lean-trade-edge:true}") boolean enabled,
            ObjectProvider<MarketTradeController> controller,
            ObjectProvider<PartnerSignatureCheck> signatureCheck,
            ObjectProvider<TradeRequestMeter> meter,
            ObjectProvider<HandlerExceptionResolver> resolvers) {
        FilterRegistrationBean<TradeEdgeFilter> registration = new FilterRegistrationBean<>(new TradeEdgeFilter(
                enabled,
                strictReader,
                objectMapper.writer(),
                controller::getObject,
                signatureCheck::getObject,
                meter::getObject,
                () -> resolvers.orderedStream().toList()));
        registration.addUrlPatterns(TradeEdgeFilter.paths());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * OPTIONS and TRACE answered with the envelope before any servlet runs. It must stay registered while the
     * connector lets TRACE through ({@link #traceReachesTheFilters}): dispatched to a servlet, a TRACE is echoed back.
     */
    @Bean
    public FilterRegistrationBean<UnservedMethodFilter> unservedMethodFilter(
            ObjectProvider<HandlerMapping> handlerMappings) {
        FilterRegistrationBean<UnservedMethodFilter> registration = new FilterRegistrationBean<>(
                new UnservedMethodFilter(() -> handlerMappings.orderedStream().toList()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Tomcat would refuse TRACE itself with a bodiless 405; let it reach {@link UnservedMethodFilter}. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> traceReachesTheFilters() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
    }

    /**
     * {@code OPTIONS *} goes through the valves and filters like any other request ({@link ServerWideOptionsAdapter}):
     * Tomcat answered it itself, 200 without a body and without the Host check. The connector makes its adapter when
     * it is initialised, before it takes any connection; ours wraps it then.
     */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> serverWideOptionsTakeThePath() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.addLifecycleListener(event -> {
            ProtocolHandler handler = connector.getProtocolHandler();
            if (Lifecycle.AFTER_INIT_EVENT.equals(event.getType())
                    && !(handler.getAdapter() instanceof ServerWideOptionsAdapter)) {
                handler.setAdapter(new ServerWideOptionsAdapter(handler.getAdapter()));
            }
        }));
    }

    /**
     * {@code Expect: 100-continue} answered when the body is first read, not as the request reaches the servlet: a
     * request refused before its body is read gets its refusal alone, and its connection is closed after it
     * ({@link ExpectContinueValve}).
     */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnlyForABodyRead() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setContinueResponseTiming(ContinueResponseTiming.ON_REQUEST_BODY_READ.toString());
                }
            });
            factory.addContextValves(new ExpectContinueValve());
        };
    }

    /**
     * Puts our valve in place of Tomcat's HTML error report on the host (Spring Boot adds one of its own too).
     * Naming its class on the host stops Tomcat from adding its default at start.
     */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            StandardHost host = (StandardHost) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            host.getPipeline().addValve(new JsonErrorReportValve());
        });
    }
}
