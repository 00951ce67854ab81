package com.groupbuy.market.support;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Runs an {@link IntegrationTest} against a {@link PrivateRedis} of the class's own instead of the shared Redis: the
 * server starts with the class's context, which talks to it ({@code spring.data.redis.port}), and is killed when the
 * context closes (after the class). The test takes it as a bean ({@code @Autowired PrivateRedis redis}) to kill it
 * and start it again.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ContextCustomizerFactories(PrivateRedisServer.Factory.class)
public @interface PrivateRedisServer {

    /**
     * Server arguments besides port, bind and no persistence, say {@code {"--enable-protected-configs", "local"}} for a
     * test that sets {@code dir} with {@code CONFIG SET}.
     */
    String[] args() default {};

    /** Registered by the annotation; gives only the classes that carry it a private Redis. */
    class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(
                Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
            PrivateRedisServer server = AnnotatedElementUtils.findMergedAnnotation(testClass, PrivateRedisServer.class);
            return server == null ? null : new Customizer(testClass, List.of(server.args()));
        }
    }

    /** One per test class (equal for the same class only, as the context cache requires of a customizer). */
    record Customizer(Class<?> testClass, List<String> args) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            PrivateRedis redis;
            try {
                redis = PrivateRedis.start(port -> args);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a private redis-server for " + testClass.getName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted starting a private redis-server", e);
            }
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("privateRedis", Map.of("spring.data.redis.port", redis.port())));
            context.getBeanFactory().registerSingleton("privateRedis", redis);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    try {
                        redis.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
    }
}
