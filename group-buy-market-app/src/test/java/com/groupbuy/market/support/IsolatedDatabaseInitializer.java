package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives each test application context a database of its own on the local MariaDB (created empty, migrated by
 * Flyway at start-up, dropped when the context closes) and a Redis key prefix of its own, so test classes never
 * see each other's rows or keys and never depend on order.
 *
 * <p>The migrations run on a thread of their own from the moment the context is initialised, while the context
 * builds its beans: on MariaDB they are mostly waits for the disk, 0.25–0.4 s of a context's 1.4 s start in CI when
 * run in line (docs/benchmarks.md, citime). The context's own Flyway waits for them, then migrates as always: it
 * validates every applied migration against the scripts and finds nothing left to apply. The class metadata the
 * context reads is kept for the next ({@link SharedClassMetadata}).
 */
public class IsolatedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    public static final String PARAMS = "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
            + "&useSSL=false&allowPublicKeyRetrieval=true";

    private static final ExecutorService MIGRATIONS = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "isolated-database-migrations");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database =
                "gbm_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SharedClassMetadata.share(context);
        execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        TestPropertyValues.of(
                        "spring.datasource.url=" + SERVER + database + PARAMS,
                        "gbm.redis.key-prefix=" + database + ":",
                        "gbm.test.database=" + database)
                .applyTo(context);
        CompletableFuture<Void> migrated = CompletableFuture.runAsync(() -> migrate(database), MIGRATIONS);
        FlywayMigrationStrategy afterThem = flyway -> {
            migrated.join();
            flyway.migrate();
        };
        context.getBeanFactory().registerSingleton("isolatedDatabaseMigrations", afterThem);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                execute("DROP DATABASE IF EXISTS " + database);
            }
        });
    }

    /** The same scripts and history table as the application's Flyway (application.yml's spring.flyway). */
    private static void migrate(String database) {
        Flyway.configure(IsolatedDatabaseInitializer.class.getClassLoader())
                .dataSource(SERVER + database + PARAMS, "root", "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
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
