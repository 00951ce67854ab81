package com.groupbuy.market.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
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
 *
 * <p>The log levels are the JVM's, not the context's: every context that starts sets them from its own settings
 * (CloseCheckRelayBytesIT: {@code com.groupbuy.market} at WARN) and none sets them back when it closes. What this
 * context started with is kept here, for {@link SharedContextReset} to put back.
 */
public class SharedContextInitializer extends IsolatedDatabaseInitializer {

    private static final AtomicReference<ConfigurableApplicationContext> OPEN = new AtomicReference<>();

    private static volatile Map<String, Level> levels = Map.of();

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
        // Spring Boot set the levels as the environment was prepared, before the initializers run.
        Map<String, Level> started = new HashMap<>();
        for (Logger logger : loggers().getLoggerList()) {
            started.put(logger.getName(), logger.getLevel());
        }
        levels = started;
    }

    /**
     * Sets every logger's level back to what it was when the shared context started (none for a logger that had
     * none then); answers the loggers changed.
     */
    static Map<String, Level> restoreLevels() {
        Map<String, Level> wanted = levels;
        Map<String, Level> changed = new HashMap<>();
        for (Logger logger : loggers().getLoggerList()) {
            Level level = wanted.get(logger.getName());
            if (level != logger.getLevel() && (level != null || !Logger.ROOT_LOGGER_NAME.equals(logger.getName()))) {
                changed.put(logger.getName(), logger.getLevel());
                logger.setLevel(level);
            }
        }
        return changed;
    }

    private static LoggerContext loggers() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
