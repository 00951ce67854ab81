package com.groupbuy.market;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts group-buy-market; the base package is the whole product, so every module's beans are scanned. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Application {

    public static void main(String[] args) {
        try {
            SpringApplication.run(Application.class, args);
        } catch (Throwable failedStart) {
            // Spring Boot has logged why and closed the context. The default profile's embedded broker keeps
            // non-daemon threads, so without an exit the JVM would stay up serving nothing, its embedded MariaDB and
            // Redis running and its data folder locked against the next start. The exit runs Spring's shutdown hook,
            // which stops them (the context is already closed).
            System.exit(1);
        }
    }
}
