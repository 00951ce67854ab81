package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives each test application context a database of its own on the local MariaDB (created empty, migrated by
 * Flyway at start-up, dropped when the context closes) and a Redis key prefix of its own, so test classes never
 * see each other's rows or keys and never depend on order.
 */
public class IsolatedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    public static final String PARAMS = "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
            + "&useSSL=false&allowPublicKeyRetrieval=true";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database =
                "gbm_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
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
