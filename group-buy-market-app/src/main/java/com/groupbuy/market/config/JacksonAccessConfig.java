package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jackson's Blackbird module on the application's ObjectMapper (Spring Boot registers every {@link Module} bean), so
 * the strict request reader, which copies that mapper, has it too. Jackson reads and writes a bean's properties
 * through reflection ({@code Method.invoke}, {@code Constructor.newInstance}); Blackbird, FasterXML's maintained
 * replacement of Afterburner for Java 11+, generates lambdas for the public setters, getters and constructors once
 * per class, which the JIT inlines. What is read and written does not change: the same properties, names, order,
 * inclusion and coercion rules; a property it cannot optimise (private, custom deserializer) keeps the standard path.
 */
@Configuration
public class JacksonAccessConfig {

    @Bean
    public Module blackbirdModule() {
        return new BlackbirdModule();
    }
}
