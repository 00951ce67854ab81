package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.trigger.http.StrictJsonReader;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** The HTTP edge: request bodies are read strictly ({@link StrictJsonReader}). */
@Configuration
public class WebEdgeConfig implements WebMvcConfigurer {

    private final ObjectMapper objectMapper;

    public WebEdgeConfig(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** The strict reader goes right before the shared Jackson converter, which keeps writing every answer. */
    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        for (int i = 0; i < converters.size(); i++) {
            if (converters.get(i) instanceof MappingJackson2HttpMessageConverter) {
                converters.add(i, new StrictJsonReader(objectMapper));
                return;
            }
        }
        throw new IllegalStateException("no Jackson converter to put the strict request reader before");
    }
}
