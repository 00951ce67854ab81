package com.groupbuy.market.config.openapi;

import java.util.List;
import java.util.Map;
import org.springdoc.api.AbstractOpenApiResource;
import org.springdoc.core.utils.Constants;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI description is served as JSON ({@code /v3/api-docs}) and in no other form. springdoc also maps
 * {@code /v3/api-docs.yaml}, the same description written by its YAML mapper, on every profile where the JSON is on
 * (prod with {@code GBM_OPENAPI_ENABLED=true} too): an answer neither our envelope nor one docs/api.md lists, from a
 * writer nobody here chose, which leaves a string such as {@code 2026-11-22 21:00:00} unquoted, so YAML 1.1 readers
 * (PyYAML, Ruby's Psych, js-yaml) took the {@code outTradeTime} examples for timestamps, where the service reads only
 * a string or an integer. Its mapping is taken away once the handler mappings are built, before the server takes a
 * request: the path is unknown like any other, the 404 envelope (OpenApiDescriptionIT, OpenApiProdSwitchIT).
 */
@Configuration
public class JsonDescriptionOnlyConfig {

    private static final MediaType YAML = MediaType.parseMediaType(Constants.APPLICATION_OPENAPI_YAML);

    @Bean
    public SmartInitializingSingleton noYamlDescription(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        return () -> mappings.orderedStream().forEach(JsonDescriptionOnlyConfig::unmapYamlDescription);
    }

    static void unmapYamlDescription(RequestMappingHandlerMapping mapping) {
        List<RequestMappingInfo> yaml = mapping.getHandlerMethods().entrySet().stream()
                .filter(e -> isYamlDescription(e.getKey(), e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        yaml.forEach(mapping::unregisterMapping);
    }

    static boolean isYamlDescription(RequestMappingInfo info, HandlerMethod handler) {
        return AbstractOpenApiResource.class.isAssignableFrom(handler.getBeanType())
                && info.getProducesCondition().getProducibleMediaTypes().stream()
                        .anyMatch(YAML::isCompatibleWith);
    }
}
