package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.admin.ActuatorAcceptFilter;
import com.groupbuy.market.trigger.http.admin.ActuatorEmptyAnswerFilter;
import com.groupbuy.market.trigger.http.admin.ActuatorTokenFilter;
import com.groupbuy.market.trigger.http.admin.AdminToken;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The actuator behind the admin token: health details for token holders everywhere
 * ({@code show-details: when-authorized} in prod), and with {@code gbm.admin.protect-actuator} (on in prod) every
 * actuator path but {@code /actuator/health} refused without it; {@code /actuator/prometheus} needs it on every profile
 * but the default one ({@code gbm.admin.protect-prometheus}, #18).
 */
@Configuration
public class ActuatorSecurityConfig {

    @Bean
    public FilterRegistrationBean<ActuatorTokenFilter> actuatorTokenFilter(
            AdminToken adminToken,
            @Value("${gbm.admin.protect-actuator:false}") boolean protect,
            @Value("${gbm.admin.protect-prometheus:true}") boolean protectPrometheus) {
        FilterRegistrationBean<ActuatorTokenFilter> registration =
                new FilterRegistrationBean<>(new ActuatorTokenFilter(adminToken, protect, protectPrometheus));
        registration.addUrlPatterns("/actuator", "/actuator/*");
        return registration;
    }

    /**
     * The envelope for the actuator's bare 404s (an unknown metric or health component). Ahead of the token filter,
     * whose refusals it leaves as they are.
     */
    @Bean
    public FilterRegistrationBean<ActuatorEmptyAnswerFilter> actuatorEmptyAnswerFilter() {
        FilterRegistrationBean<ActuatorEmptyAnswerFilter> registration =
                new FilterRegistrationBean<>(new ActuatorEmptyAnswerFilter());
        registration.addUrlPatterns("/actuator", "/actuator/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 1);
        return registration;
    }

    /**
     * An {@code Accept} the actuator would refuse (406) is dropped, so the endpoint answers its default: a load
     * balancer or scraper never fails over its header.
     */
    @Bean
    public FilterRegistrationBean<ActuatorAcceptFilter> actuatorAcceptFilter(
            ObjectProvider<HandlerMapping> handlerMappings) {
        FilterRegistrationBean<ActuatorAcceptFilter> registration = new FilterRegistrationBean<>(
                new ActuatorAcceptFilter(() -> handlerMappings.orderedStream().toList()));
        registration.addUrlPatterns("/actuator", "/actuator/*");
        return registration;
    }
}
