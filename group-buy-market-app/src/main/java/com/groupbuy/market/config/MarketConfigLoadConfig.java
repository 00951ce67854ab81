package com.groupbuy.market.config;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The market configuration cache's lifetime, for the infrastructure module's repository. */
@Configuration
public class MarketConfigLoadConfig {

    /** {@code gbm.market.config-cache-ttl}, bound and checked, for the market configuration repository. */
    @Bean
    public Duration marketConfigCacheTtl(MarketConfigLoadProperties properties) {
        return properties.getConfigCacheTtl();
    }
}
