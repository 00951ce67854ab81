package com.groupbuy.market.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The malls' queues one test binds on the shared RabbitMQ (127.0.0.1:5672), each a {@link MallQueue}, all deleted
 * after the test (the broker is shared: a queue left bound would keep receiving every later class's messages).
 * Registered as {@code @RegisterExtension final MallQueues malls = new MallQueues();} it closes them after each test;
 * {@link #onBroker} does a class's own set-up and clean-up of exchanges and queues on a connection of its own.
 */
public final class MallQueues implements AfterEachCallback, AutoCloseable {

    private final List<MallQueue> open = new ArrayList<>();

    /** A mall's queue bound to {@code exchange} (a durable topic exchange, declared if missing) with this key. */
    public synchronized MallQueue bind(String exchange, String routingKey) throws Exception {
        MallQueue mall = new MallQueue(5672, exchange, routingKey);
        open.add(mall);
        return mall;
    }

    /** A mall's queue bound to the default exchange ({@value MallQueue#EXCHANGE}). */
    public MallQueue bind(String routingKey) throws Exception {
        return bind(MallQueue.EXCHANGE, routingKey);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    /** Deletes every queue bound so far, each even when another's deletion failed (the first failure is thrown). */
    @Override
    public synchronized void close() throws Exception {
        Exception failed = null;
        for (MallQueue mall : open) {
            try {
                mall.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failed != null) {
            throw failed;
        }
    }

    /** Declares or deletes a class's own broker objects through a connection opened for it and closed after. */
    public static void onBroker(Consumer<RabbitAdmin> work) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            work.accept(new RabbitAdmin(factory));
        } finally {
            factory.destroy();
        }
    }
}
