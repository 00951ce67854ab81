package com.groupbuy.market.support;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The broker of a test class whose resource alarm the test raises: a {@link PrivateRabbit} node of the class's own
 * (the shared broker on 5672 and its settings are never touched), with MQ switched on and pointed at it. Usage:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final AlarmedBroker broker = new AlarmedBroker(); // stopped after the class
 *
 * @DynamicPropertySource
 * static void broker(DynamicPropertyRegistry registry) throws Exception {
 *     broker.start(registry); // then the class's own properties
 * }
 * }</pre>
 *
 * and in the test {@code broker.raiseAlarm(); try { ... } finally { broker.clearAlarm(); }}.
 */
public final class AlarmedBroker implements AfterAllCallback {

    private PrivateRabbit node;

    /**
     * Starts the node and registers {@code spring.rabbitmq.port} (its port) and {@code gbm.mq.enabled=true}. Call it
     * from the class's {@code @DynamicPropertySource}; called again (a second context of the class) it registers the
     * running node.
     */
    public void start(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        if (node == null) {
            node = PrivateRabbit.start();
        }
        int port = node.port();
        registry.add("spring.rabbitmq.port", () -> port);
        registry.add("gbm.mq.enabled", () -> "true");
    }

    /** The node's AMQP port. */
    public int port() {
        return running().port();
    }

    /**
     * Raises the node's memory alarm: the broker blocks every connection that publishes (it stops reading from it), as
     * it does when its memory or disk runs low.
     */
    public void raiseAlarm() throws IOException, InterruptedException {
        running().memoryAlarm(true);
    }

    /** Clears the alarm: the broker reads from the blocked connections again. */
    public void clearAlarm() throws IOException, InterruptedException {
        running().memoryAlarm(false);
    }

    /** Stops the node and deletes its files; harmless if it never started (its start failed). */
    public void stop() throws InterruptedException {
        if (node != null) {
            PrivateRabbit stopping = node;
            node = null;
            stopping.stop();
        }
    }

    /** Registered as an extension, it stops the node after the class (before its context closes). */
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        stop();
    }

    private PrivateRabbit running() {
        if (node == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return node;
    }
}
