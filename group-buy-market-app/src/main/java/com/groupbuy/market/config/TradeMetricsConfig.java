package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Rates and latencies of the partner endpoints by business code ({@code gbm.trade.requests}, #18). */
@Configuration
public class TradeMetricsConfig implements WebMvcConfigurer {

    private final MeterRegistry meters;

    public TradeMetricsConfig(MeterRegistry meters) {
        this.meters = meters;
    }

    /** One meter for Spring's path (an interceptor) and the lean trade path (TradeEdgeFilter). */
    @Bean
    public TradeRequestMeter tradeRequestMeter() {
        return new TradeRequestMeter(meters);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(tradeRequestMeter()).addPathPatterns(TradeRequestMeter.paths());
    }

    /**
     * The partner calls (trial, lock, settlement, refund) are timed once, by {@code gbm.trade.requests}, which the
     * dashboard and the alerts read; Spring Boot's {@code http.server.requests} observation timed each of them a
     * second time (its own timer and an active-requests long task timer, their tags built per request: 3-5 % of a
     * lock's CPU, #19). It still observes every other path (admin API, console, actuator, test endpoints).
     */
    @Bean
    public ObservationPredicate partnerCallsTimedOnce() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && TradeRequestMeter.watches(server.getCarrier().getServletPath()));
    }
}
