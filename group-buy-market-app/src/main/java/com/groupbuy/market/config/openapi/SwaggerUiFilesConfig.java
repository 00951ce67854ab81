package com.groupbuy.market.config.openapi;

import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Swagger UI's files (every profile but prod) through {@link ShippedWebJarsResolver}, in place of springdoc's own
 * resolver (which it makes only when none is defined). Made under springdoc's own conditions for the UI: its
 * properties exist only then.
 */
@Configuration
@ConditionalOnProperty(
        name = {"springdoc.api-docs.enabled", "springdoc.swagger-ui.enabled"},
        havingValue = "true",
        matchIfMissing = true)
public class SwaggerUiFilesConfig {

    @Bean
    public ShippedWebJarsResolver swaggerResourceResolver(SwaggerUiConfigProperties properties) {
        return new ShippedWebJarsResolver(
                properties, ShippedWebJarsResolver.onClassPath(new PathMatchingResourcePatternResolver()));
    }
}
