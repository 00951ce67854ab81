package com.groupbuy.market.support;

import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Fails the class when its context, once closed, left on the shared broker a queue or exchange of the names it had of
 * its own ({@link ContextBrokerObjects}: close-check queues and lanes, the internal exchange named after its
 * database). Only those names are looked at, so other runs' objects never matter. Declared on the class BEFORE
 * {@code @IntegrationTest}, {@code @ExtendWith(NoBrokerLeftovers.class)}: its after-all then runs after Spring's,
 * which closes the class's context; a context still open then (kept for other classes) is not checked.
 */
public final class NoBrokerLeftovers implements BeforeEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(NoBrokerLeftovers.class);

    @Override
    public void beforeEach(ExtensionContext test) {
        ExtensionContext.Store store = test.getParent().orElseThrow().getStore(NAMESPACE);
        if (store.get("context") == null) {
            ConfigurableApplicationContext context =
                    (ConfigurableApplicationContext) SpringExtension.getApplicationContext(test);
            store.put("context", context);
            store.put(
                    "topology",
                    context.getBeanProvider(CloseCheckTopology.class).getIfAvailable());
        }
    }

    @Override
    public void afterAll(ExtensionContext testClass) throws Exception {
        ExtensionContext.Store store = testClass.getStore(NAMESPACE);
        ConfigurableApplicationContext context = store.get("context", ConfigurableApplicationContext.class);
        if (context == null || context.isActive()) {
            return;
        }
        Set<String> queues = ContextBrokerObjects.ownQueues(
                context.getEnvironment(), store.get("topology", CloseCheckTopology.class));
        String exchange = ContextBrokerObjects.ownExchange(context.getEnvironment());
        List<String> left = new ArrayList<>();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        try (Connection connection = factory.newConnection("no-broker-leftovers")) {
            for (String queue : queues) {
                if (exists(connection, channel -> channel.queueDeclarePassive(queue))) {
                    left.add("queue " + queue);
                }
            }
            if (exchange != null && exists(connection, channel -> channel.exchangeDeclarePassive(exchange))) {
                left.add("exchange " + exchange);
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError(testClass.getRequiredTestClass().getSimpleName()
                    + " left on the shared broker, after its context closed: " + left);
        }
    }

    private interface Passive {
        void declare(Channel channel) throws IOException;
    }

    /** A passive declare on a channel of its own: the broker closes the channel when the object is not there. */
    private static boolean exists(Connection connection, Passive passive) throws IOException, TimeoutException {
        Channel channel = connection.createChannel();
        try {
            passive.declare(channel);
            return true;
        } catch (IOException notFound) {
            return false;
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }
}
