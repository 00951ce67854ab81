package com.groupbuy.market.support;

import com.groupbuy.market.config.MqProperties;
import com.groupbuy.market.config.RefundConsumerProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Gives each test application context a database of its own on the local MariaDB (dropped when the context closes),
 * a Redis key prefix of its own and an internal exchange of its own for its refund events (deleted when it closes),
 * so test classes never see each other's rows, keys or refund events and never depend on order. By default the
 * database is a copy of this JVM's migrated {@link TemplateDatabase}, so the context's Flyway finds it current and
 * only validates it. A class that needs the database empty, to be migrated by its own context's Flyway (an upgrade
 * from old versions, migrations in another session zone or through a proxy), opts out: {@link #empty()}, or a
 * subclass calling {@code super(Start.EMPTY)}.
 */
public class IsolatedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** What the context's database holds before the context starts. */
    public enum Start {
        /** A copy of the migrated template: Flyway at start has nothing to do. */
        MIGRATED_COPY,
        /** Nothing: Flyway at start (or the test) applies every migration. */
        EMPTY
    }

    public static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    public static final String PARAMS = "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
            + "&useSSL=false&allowPublicKeyRetrieval=true";

    private final Start start;

    public IsolatedDatabaseInitializer() {
        this(Start.MIGRATED_COPY);
    }

    protected IsolatedDatabaseInitializer(Start start) {
        this.start = start;
    }

    /** The old path, for classes whose context must migrate an empty database itself. */
    public static IsolatedDatabaseInitializer empty() {
        return new IsolatedDatabaseInitializer(Start.EMPTY);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database = TestDatabaseNames.next("t", 12);
        execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        if (start == Start.MIGRATED_COPY) {
            try {
                TemplateDatabase.copyInto(database);
            } catch (RuntimeException e) {
                execute("DROP DATABASE IF EXISTS " + database);
                throw e;
            }
        }
        TestPropertyValues.of(
                        "spring.datasource.url=" + SERVER + database + PARAMS,
                        "gbm.redis.key-prefix=" + database + ":",
                        "gbm.test.database=" + database)
                .applyTo(context);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                execute("DROP DATABASE IF EXISTS " + database);
            }
        });
        // Registered before any bean of the context: destroyed after all of them, its consumers and connections.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean(
                        IsolatedDatabaseInitializer.class.getName() + ".broker",
                        () -> deleteBrokerObjects(context.getEnvironment(), database));
    }

    /**
     * What the context declared on the shared broker for its refund events, deleted once its consumers stopped (before,
     * a listener container declared its queues again, with their binding and exchange, and left them): the internal
     * exchange (the test profile names it after the context's database, application-test.yml: its refund events go
     * there, where nobody binds, never to the default exchange a dev-profile run's refund queue may be bound to) and,
     * with the refund consumer on, its queues. Never the default names, and nothing on a broker of the class's own.
     */
    private static void deleteBrokerObjects(Environment environment, String database) {
        if (!environment.getProperty("gbm.mq.enabled", Boolean.class, true)
                || environment.getProperty("spring.rabbitmq.port", Integer.class, 5672) != 5672) {
            return;
        }
        RefundConsumerProperties defaults = new RefundConsumerProperties();
        List<String> queues = new ArrayList<>();
        if (environment.getProperty("gbm.mq.refund-consumer.enabled", Boolean.class, true)) {
            queues.add(environment.getProperty("gbm.mq.refund-consumer.queue", defaults.getQueue()));
            queues.add(
                    environment.getProperty("gbm.mq.refund-consumer.dead-letter-queue", defaults.getDeadLetterQueue()));
        }
        queues.removeAll(List.of(defaults.getQueue(), defaults.getDeadLetterQueue()));
        String exchange = environment.getProperty("gbm.mq.internal-exchange", "");
        boolean ownExchange = !exchange.isEmpty() && !exchange.equals(new MqProperties().getInternalExchange());
        if (queues.isEmpty() && !ownExchange) {
            return;
        }
        try {
            MallQueues.onBroker(admin -> {
                queues.forEach(admin::deleteQueue);
                if (ownExchange) {
                    admin.deleteExchange(exchange);
                }
            });
        } catch (RuntimeException e) {
            // The shared broker is down: the context could not have declared them there either.
        }
    }

    static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + PARAMS, "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot run '" + sql + "' on the local MariaDB at " + SERVER
                            + " (is it running? .ci/run starts it)",
                    e);
        }
    }
}
