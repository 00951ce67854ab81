package com.groupbuy.market.support;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The broker of a test class whose resource alarm the test raises: a {@link PrivateRabbit} node of the alarm tests'
 * own (the shared broker on 5672 and its settings are never touched), with MQ switched on and pointed at it. Usage:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final AlarmedBroker broker = new AlarmedBroker(); // its alarm cleared after the class
 *
 * @DynamicPropertySource
 * static void broker(DynamicPropertyRegistry registry) throws Exception {
 *     broker.start(registry); // then the class's own properties
 * }
 * }</pre>
 *
 * and in the test {@code broker.raiseAlarm(); try { ... } finally { broker.clearAlarm(); }}.
 *
 * <p>One node serves every such class of the test JVM, one after another (test classes never run side by side), and
 * is stopped when the JVM ends: a node boots in 5-15 s on a busy machine and stops in 2-3 s, which each class paid on
 * its own before. The classes share nothing on it but the node: each declares its own queues (or, as the partner
 * callbacks, reads only its own teams), and after each class the alarm is clear again and no policy of the class is left.
 */
public final class AlarmedBroker implements AfterAllCallback {

    private static PrivateRabbit node;

    private boolean alarmRaised;
    /** The policies this class set and has not cleared yet, each with whether it is an operator policy. */
    private final java.util.Map<String, Boolean> policies = new java.util.LinkedHashMap<>();

    /**
     * Starts the node if no class of this JVM did yet, and registers {@code spring.rabbitmq.port} (its port) and
     * {@code gbm.mq.enabled=true}. Call it from the class's {@code @DynamicPropertySource}.
     */
    public void start(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        int port = shared().port();
        registry.add("spring.rabbitmq.port", () -> port);
        registry.add("gbm.mq.enabled", () -> "true");
    }

    /**
     * Starts the node if no class of this JVM did yet, for a class without a Spring context of its own (it connects
     * with {@link #publisherConnections}).
     */
    public void start() throws IOException, InterruptedException {
        shared();
    }

    /** A publisher connection factory on the node as the service's ({@link PrivateRabbit#publisherConnections}). */
    public org.springframework.amqp.rabbit.connection.CachingConnectionFactory publisherConnections() {
        return running().publisherConnections();
    }

    private static synchronized PrivateRabbit shared() throws IOException, InterruptedException {
        if (node == null) {
            PrivateRabbit started = PrivateRabbit.start();
            Runtime.getRuntime().addShutdownHook(new Thread(AlarmedBroker::stopShared, "private-rabbit-stop"));
            node = started;
        }
        return node;
    }

    private static synchronized void stopShared() {
        if (node != null) {
            try {
                node.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            node = null;
        }
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
        alarmRaised = true;
        running().memoryAlarm(true);
    }

    /**
     * Clears the alarm: the broker reads from the blocked connections again. Nothing to do when this class's alarm is
     * clear already (a {@code finally} after an early clear): each {@code rabbitmqctl} call costs seconds.
     */
    public void clearAlarm() throws IOException, InterruptedException {
        if (!alarmRaised) {
            return;
        }
        running().memoryAlarm(false);
        alarmRaised = false;
    }

    /**
     * The numbers of the channels the broker has open on the client connection from each of these local ports (one
     * {@code rabbitmqctl} call).
     */
    public java.util.Map<Integer, java.util.List<Integer>> channelsOf(int... clientPorts)
            throws IOException, InterruptedException {
        return running().channelsOf(clientPorts);
    }

    /**
     * Sets the policy (or, {@code operator}, the operator policy) {@code name} on the node, for the queues matching
     * {@code pattern}: see {@link PrivateRabbit#policy}. Cleared by {@link #clearPolicy}, or after the class.
     */
    public void policy(boolean operator, String name, String pattern, String definition)
            throws IOException, InterruptedException {
        running().policy(operator, name, pattern, definition);
        policies.put(name, operator);
    }

    /** Clears the policy {@code name} this class set. */
    public void clearPolicy(String name) throws IOException, InterruptedException {
        Boolean operator = policies.remove(name);
        if (operator != null) {
            running().clearPolicy(operator, name);
        }
    }

    /**
     * Registered as an extension: a class that ended with the alarm raised or a policy set (a failure) leaves the node
     * clear for the next.
     */
    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        if (alarmRaised) {
            clearAlarm();
        }
        for (String name : java.util.List.copyOf(policies.keySet())) {
            clearPolicy(name);
        }
    }

    private static synchronized PrivateRabbit running() {
        if (node == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return node;
    }
}
