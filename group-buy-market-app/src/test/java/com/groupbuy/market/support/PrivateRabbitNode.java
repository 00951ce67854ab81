package com.groupbuy.market.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link PrivateRabbit} node of one test class without a Spring context, started before its tests with the class's
 * own {@code rabbitmq.conf} lines and stopped after them:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = 4096");
 * }</pre>
 */
public final class PrivateRabbitNode implements BeforeAllCallback, AfterAllCallback {

    private final String config;
    private PrivateRabbit rabbit;

    public PrivateRabbitNode(String config) {
        this.config = config;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        rabbit = PrivateRabbit.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (rabbit != null) {
            rabbit.stop();
            rabbit = null;
        }
    }

    /** The running node. */
    public PrivateRabbit rabbit() {
        if (rabbit == null) {
            throw new IllegalStateException("the node is started before the class's tests only");
        }
        return rabbit;
    }
}
