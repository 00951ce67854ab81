package com.groupbuy.market.support;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Runs an {@link IntegrationTest} against a {@link PrivateRedisCluster} of the class's own (three masters): it starts
 * with the class's context, which talks to it in cluster mode ({@code spring.data.redis.cluster.nodes}), and is
 * killed when the context closes. The test takes it as a bean to pause or kill its nodes; {@link
 * RedisClusterModeCheck} fails the class if the client is not a cluster client after all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ContextCustomizerFactories(PrivateRedisClusterServer.Factory.class)
@ExtendWith(RedisClusterModeCheck.class)
public @interface PrivateRedisClusterServer {

    /** Replicas of each master (none: a failed master is not taken over). */
    int replicasPerMaster() default 0;

    /** Registered by the annotation; gives only the classes that carry it a private cluster. */
    class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(
                Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
            return AnnotatedElementUtils.hasAnnotation(testClass, PrivateRedisClusterServer.class)
                    ? new Customizer(
                            testClass,
                            AnnotatedElementUtils.findMergedAnnotation(testClass, PrivateRedisClusterServer.class)
                                    .replicasPerMaster())
                    : null;
        }
    }

    /** One per test class (equal for the same class only, as the context cache requires of a customizer). */
    record Customizer(Class<?> testClass, int replicasPerMaster) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            PrivateRedisCluster cluster;
            try {
                cluster = PrivateRedisCluster.start(3, replicasPerMaster);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a private Redis Cluster for " + testClass.getName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted starting a private Redis Cluster", e);
            }
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "privateRedisCluster", Map.of("spring.data.redis.cluster.nodes", cluster.nodes())));
            context.getBeanFactory().registerSingleton("privateRedisCluster", cluster);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    try {
                        cluster.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
    }
}
