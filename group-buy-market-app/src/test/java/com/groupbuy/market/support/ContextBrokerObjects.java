package com.groupbuy.market.support;

import com.groupbuy.market.config.CloseCheckProperties;
import com.groupbuy.market.config.RefundConsumerProperties;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * What a test context declared on the shared broker under names of its own, deleted once the context closed, after
 * all its beans (consumers, publishers, connections) are gone: deleted before, in a class's {@code @AfterAll} (which
 * JUnit runs before Spring closes the class's context), a listener container or a new connection of the running app
 * declared them again and they stayed. Registered for every test context (META-INF/spring.factories):
 * <ul>
 *   <li>its close-check queue, dead-letter queue and every delay lane it declared ({@link CloseCheckTopology}), when
 *       the class gave them names of its own ({@link CloseCheckQueues}); never the default names;
 *   <li>with the refund consumer on, its refund queue and dead-letter queue, when not the default names (before, a
 *       listener container declared them again, with their binding and exchange, and left them);
 *   <li>its internal exchange when named after its database ({@code gbm.test.database}: {@link
 *       IsolatedDatabaseInitializer}'s or {@link PrivateDatabase}'s), also when the context reached the shared broker
 *       through a proxy of the class's ({@link TcpProxy}) or the database is a private server.
 * </ul>
 * The names are the context's alone, so deleting them on the shared broker never touches another run's objects, and
 * deleting a name the context declared elsewhere (a broker of the class's own) is a no-op there.
 */
public final class ContextBrokerObjects implements ContextCustomizerFactory {

    private static final ContextCustomizer CUSTOMIZER = new Customizer();

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return CUSTOMIZER;
    }

    /** The names {@code environment}'s context declared (or may have) on a broker, its own alone. */
    static Set<String> ownQueues(Environment environment, CloseCheckTopology topology) {
        CloseCheckProperties defaults = new CloseCheckProperties();
        Set<String> queues = new LinkedHashSet<>();
        String queue = environment.getProperty("gbm.close-check.queue", defaults.getQueue());
        String deadLetter = environment.getProperty("gbm.close-check.dead-letter-queue", defaults.getDeadLetterQueue());
        String lanePrefix = environment.getProperty("gbm.close-check.lane-prefix", defaults.getLanePrefix());
        if (!queue.equals(defaults.getQueue())) {
            queues.add(queue);
        }
        if (!deadLetter.equals(defaults.getDeadLetterQueue())) {
            queues.add(deadLetter);
        }
        if (topology != null && !lanePrefix.equals(defaults.getLanePrefix())) {
            topology.lanesDeclared().stream()
                    .filter(lane -> lane.startsWith(lanePrefix))
                    .forEach(queues::add);
        }
        if (environment.getProperty("gbm.mq.refund-consumer.enabled", Boolean.class, true)) {
            RefundConsumerProperties refundDefaults = new RefundConsumerProperties();
            queues.add(environment.getProperty("gbm.mq.refund-consumer.queue", refundDefaults.getQueue()));
            queues.add(environment.getProperty(
                    "gbm.mq.refund-consumer.dead-letter-queue", refundDefaults.getDeadLetterQueue()));
            queues.removeAll(List.of(refundDefaults.getQueue(), refundDefaults.getDeadLetterQueue()));
        }
        return queues;
    }

    /** The context's internal exchange when named after its own database, else null. */
    static String ownExchange(Environment environment) {
        String database = environment.getProperty("gbm.test.database");
        String exchange = environment.getProperty("gbm.mq.internal-exchange", "");
        return database != null && !database.isEmpty() && exchange.endsWith("." + database) ? exchange : null;
    }

    private static void delete(Environment environment, CloseCheckTopology topology) {
        delete(ownQueues(environment, topology), ownExchange(environment));
    }

    /** Deletes these queues and this exchange (if not null) from the shared broker; nothing when it is down. */
    private static void delete(Set<String> queues, String exchange) {
        if (queues.isEmpty() && exchange == null) {
            return;
        }
        try {
            MallQueues.onBroker(admin -> {
                queues.forEach(admin::deleteQueue);
                if (exchange != null) {
                    admin.deleteExchange(exchange);
                }
            });
        } catch (RuntimeException e) {
            // The shared broker is down: the context could not have declared them there either.
        }
    }

    private static final class Customizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            // The topology knows the lanes; taken while the context still answers (it is gone at the end of close).
            AtomicReference<CloseCheckTopology> topology = new AtomicReference<>();
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    topology.set(
                            context.getBeanProvider(CloseCheckTopology.class).getIfAvailable());
                }
            });
            // Registered before any bean of the context: destroyed after all of them, its consumers and connections.
            ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                    .registerDisposableBean(
                            ContextBrokerObjects.class.getName(),
                            () -> delete(context.getEnvironment(), topology.get()));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
