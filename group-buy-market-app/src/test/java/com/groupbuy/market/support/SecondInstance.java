package com.groupbuy.market.support;

import com.groupbuy.market.Application;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Another instance of the service in the same JVM, on its own port, sharing the test class's database, Redis key
 * prefix and internal exchange with the instance the test framework started: two instances of one deployment.
 */
public final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Started like {@code first} (same database and key prefix), with these extra {@code name=value} settings. */
    public static SecondInstance like(Environment first, String... settings) {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + first.getProperty("spring.datasource.url"));
        args.add("--gbm.redis.key-prefix=" + first.getProperty("gbm.redis.key-prefix"));
        // The deployment's one internal exchange (the first's, named after its database and deleted with it).
        args.add("--gbm.mq.internal-exchange=" + first.getProperty("gbm.mq.internal-exchange"));
        args.add("--server.port=0");
        for (String setting : settings) {
            args.add("--" + setting);
        }
        return new SecondInstance(
                new SpringApplicationBuilder(Application.class).profiles("test").run(args.toArray(String[]::new)));
    }

    public int port() {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
