package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.trigger.http.PartnerSignatureFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.Set;

/**
 * Signature check on the trade endpoints ({@code gbm.trade.signature.required-for}: {@code source:channel} entries,
 * or {@code *}); secrets are the callback secrets {@code gbm.notify.secrets.<source>.<channel>}.
 */
@Configuration
public class PartnerSignatureConfig {

    @Bean
    public FilterRegistrationBean<PartnerSignatureFilter> partnerSignatureFilter(
            NotifyProperties notifyProperties, Clock clock, ObjectMapper objectMapper,
            @Value("${gbm.trade.signature.required-for:}") Set<String> requiredFor) {
        FilterRegistrationBean<PartnerSignatureFilter> registration = new FilterRegistrationBean<>(
                new PartnerSignatureFilter(notifyProperties::secretOf, SettlementConfig.clean(requiredFor), clock,
                        objectMapper));
        registration.addUrlPatterns("/api/v1/gbm/trade/*");
        return registration;
    }
}
