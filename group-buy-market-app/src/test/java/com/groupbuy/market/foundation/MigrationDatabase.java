package com.groupbuy.market.foundation;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An empty database of a migration test's own on the local MariaDB (dropped on close), and Flyway over it with the
 * application's migrations, so a test can build the schema of any earlier version, fill it, and migrate on.
 */
final class MigrationDatabase implements AutoCloseable {

    private static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    private static final String PARAMS =
            "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true";

    private final String name;
    private final JdbcTemplate jdbc;

    private MigrationDatabase(String name) {
        this.name = name;
        server().execute("CREATE DATABASE " + name);
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(url(), "root", ""));
    }

    /** A new empty database named {@code prefix} and a random suffix. */
    static MigrationDatabase create(String prefix) {
        return new MigrationDatabase(
                prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
    }

    String name() {
        return name;
    }

    String url() {
        return SERVER + name + PARAMS;
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Flyway over this database with the application's migrations, migrating up to {@code target}. */
    Flyway flyway(MigrationVersion target) {
        return flyway(url(), target);
    }

    static Flyway flyway(String url, MigrationVersion target) {
        return Flyway.configure()
                .dataSource(url, "root", "")
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    @Override
    public void close() {
        server().execute("DROP DATABASE IF EXISTS " + name);
    }

    private static JdbcTemplate server() {
        return new JdbcTemplate(new DriverManagerDataSource(SERVER + PARAMS, "root", ""));
    }
}
