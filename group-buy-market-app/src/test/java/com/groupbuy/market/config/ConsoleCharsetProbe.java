package com.groupbuy.market.config;

import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A JVM that sets up logging from the service's own configuration (application.yml and the named profile), the way the
 * service's start does, logs one line carrying a partner's non-ASCII user id, and exits. Started by {@link
 * ConsoleCharsetTest} under the locale it is about; nothing else of the service starts.
 */
public final class ConsoleCharsetProbe {

    static final String LINE = "console charset probe: user 张三 locked a place";

    /**
     * No beans and no auto-configuration: only the environment and the logging system are set up. Not annotated: a
     * {@code @SpringBootConfiguration} here was the configuration every {@code @SpringBootTest} of this package found
     * first, and one {@code @Configuration} would be scanned into theirs.
     */
    static class LoggingOnly {}

    private ConsoleCharsetProbe() {}

    public static void main(String[] args) {
        try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(LoggingOnly.class)
                .web(WebApplicationType.NONE)
                .run(args)) {
            LoggerFactory.getLogger(ConsoleCharsetProbe.class).info(LINE);
        }
    }
}
