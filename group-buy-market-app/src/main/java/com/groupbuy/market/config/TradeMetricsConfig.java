package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.metrics.TradeRequestMeter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Rates and latencies of the partner endpoints by business code ({@code gbm.trade.requests}, #18). */
@Configuration
public class TradeMetricsConfig implements WebMvcConfigurer {

    private final MeterRegistry meters;

    public TradeMetricsConfig(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new TradeRequestMeter(meters)).addPathPatterns(TradeRequestMeter.paths());
    }
}
