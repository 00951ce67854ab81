package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives each test application context a database of its own on the local MariaDB (dropped when the context closes),
 * a Redis key prefix of its own and an internal exchange of its own for its refund events ({@link ContextBrokerObjects}
 * deletes it, and its refund queues, when it closes),
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
