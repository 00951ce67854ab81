package com.groupbuy.market.support;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * {@link IsolatedDatabaseInitializer} for the one context the {@link SharedContextIntegrationTest} classes of a JVM
 * share: the same database copy, key prefix and exchange of its own, dropped when the JVM ends. A class of its own, so
 * Spring's context cache never hands this context to an {@link IntegrationTest} class (whose context would otherwise
 * have the same key) nor closes it after one.
 *
 * <p>A second shared context while the first is open is refused: only a class with settings of its own (a property,
 * profile, initializer, mock or import; a subclass of a shared class with its own annotations) gets another, which
 * would stay cached, holding its pools and connections, until the JVM ends. {@link SharedContextReset} names such a
 * class before its context starts; this is the last word.
 */
public class SharedContextInitializer extends IsolatedDatabaseInitializer {

    private static final AtomicReference<ConfigurableApplicationContext> OPEN = new AtomicReference<>();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!OPEN.compareAndSet(null, context)) {
            throw new IllegalStateException("a second shared context while the first is open: a class marked"
                    + " @SharedContextIntegrationTest (or a subclass of one) has settings of its own (properties,"
                    + " profiles, initializers, mocks, imports) and cannot share the context: mark it"
                    + " @IntegrationTest");
        }
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                OPEN.compareAndSet(context, null);
            }
        });
        super.initialize(context);
    }
}
