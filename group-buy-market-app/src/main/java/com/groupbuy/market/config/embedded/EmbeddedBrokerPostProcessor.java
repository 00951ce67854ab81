package com.groupbuy.market.config.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * On the default profile (no profile named, embedded servers on, MQ on) starts the embedded AMQP broker and points
 * {@code spring.rabbitmq.*} at it, beside the embedded MariaDB and Redis. Nothing happens in the slim production jar,
 * where Qpid Broker-J is not on the classpath.
 */
public class EmbeddedBrokerPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String QPID = "org.apache.qpid.server.SystemLauncher";

    private final Log log;

    public EmbeddedBrokerPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedBrokerPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getActiveProfiles().length > 0
                || !environment.getProperty("gbm.embedded.enabled", Boolean.class, true)
                || !environment.getProperty("gbm.mq.enabled", Boolean.class, true)
                || !ClassUtils.isPresent(QPID, getClass().getClassLoader())) {
            return;
        }
        EmbeddedStop.refuseWithoutSpringsShutdownHook(environment);
        Path dataDir = Path.of(environment.getProperty("gbm.embedded.data-dir", "./data"))
                .toAbsolutePath()
                .normalize();
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir, log);
        // Run by Spring's shutdown hook after the context has closed (its listeners stopped), not beside it.
        EmbeddedStop.afterTheContextCloses(application, broker::stop);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.rabbitmq.host", "127.0.0.1");
        properties.put("spring.rabbitmq.port", broker.port());
        properties.put("spring.rabbitmq.username", "guest");
        properties.put("spring.rabbitmq.password", "guest");
        properties.put("spring.rabbitmq.virtual-host", "default");
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedBroker", properties));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
