package com.groupbuy.market.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link PrivateRabbit} node of one test class, started before its tests with the class's own {@code rabbitmq.conf}
 * lines (and {@code advanced.config} terms, if any) and stopped once JUnit closes the class's extension context: after
 * every after-all of the class, Spring's too, which closes a {@code @IntegrationTest} class's context — its consumers
 * and connections are gone before the node is (an {@code @AfterAll} method stopped it under the running app). Stopped
 * also when the class's context fails to load. Usage:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = 4096");
 *
 * @DynamicPropertySource // a class with a Spring context: read when the context loads, after the node started
 * static void broker(DynamicPropertyRegistry registry) {
 *     registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
 * }
 * }</pre>
 */
public final class PrivateRabbitNode implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PrivateRabbitNode.class);

    private final String config;
    private final String advanced;
    private PrivateRabbit rabbit;

    public PrivateRabbitNode(String config) {
        this(config, "");
    }

    /** With {@code advanced} as the node's {@code advanced.config}: see {@link PrivateRabbit#start(String, String)}. */
    public PrivateRabbitNode(String config, String advanced) {
        this.config = config;
        this.advanced = advanced;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        rabbit = PrivateRabbit.start(config, advanced);
        context.getStore(NAMESPACE).put("node", (ExtensionContext.Store.CloseableResource) this::stop);
    }

    private void stop() throws InterruptedException {
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
