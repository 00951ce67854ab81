package com.groupbuy.market.support;

import com.groupbuy.market.config.outage.StatementBoundConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * One database per test JVM migrated by the application's Flyway (the same locations and session settings a start
 * uses), which {@link IsolatedDatabaseInitializer} copies for each context instead of migrating each one again: the
 * same tables ({@code CREATE TABLE ... LIKE} keeps indexes, defaults, charset and collation) with the rows the
 * migrations wrote (the schema history among them, so the context's Flyway finds the schema current and only validates
 * it). Named after this JVM's pid and a random suffix (two Failsafe JVMs run at once and never share it), dropped when
 * the JVM exits, else by a later JVM ({@link TestDatabaseNames}). The copy carries base tables only: a template holding
 * views, triggers, routines or events is refused until this class learns them ({@code foundation.MigratedCopyIT}
 * compares a copy with a migration).
 */
public final class TemplateDatabase {

    private static String name;
    private static List<String> tables;
    private static List<String> seeded;

    private TemplateDatabase() {}

    /** The Flyway a start runs (its locations and session settings), over {@code url}. */
    public static Flyway flyway(String url) {
        FluentConfiguration flyway =
                Flyway.configure().dataSource(url, "root", "").locations("classpath:db/migration");
        new StatementBoundConfig().flywaySessionSqlMode().customize(flyway);
        return flyway.load();
    }

    /** This JVM's migrated template, created (and migrated) on first use. */
    public static synchronized String name() {
        if (name == null) {
            List<String> orphans = TestDatabaseNames.dropOrphans();
            if (!orphans.isEmpty()) {
                System.out.printf("dropped %d databases of test JVMs that are gone: %s%n", orphans.size(), orphans);
            }
            String database = TestDatabaseNames.next("tpl", 6);
            IsolatedDatabaseInitializer.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> IsolatedDatabaseInitializer.execute("DROP DATABASE IF EXISTS " + database)));
            long start = System.nanoTime();
            flyway(IsolatedDatabaseInitializer.SERVER + database + IsolatedDatabaseInitializer.PARAMS)
                    .migrate();
            readPlan(database);
            System.out.printf(
                    "template database %s migrated in %d ms (%d tables, seeded: %s)%n",
                    database, (System.nanoTime() - start) / 1_000_000, tables.size(), seeded);
            name = database;
        }
        return name;
    }

    /** The template's tables (a name each, sorted). */
    static synchronized List<String> tables() {
        name();
        return List.copyOf(tables);
    }

    /** The template's tables that hold rows the migrations wrote. */
    static synchronized List<String> seeded() {
        name();
        return List.copyOf(seeded);
    }

    /** Fills the empty database {@code target} with a copy of the template's tables and rows. */
    public static void copyInto(String target) {
        String template = name();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.addBatch("CREATE TABLE " + target + "." + table + " LIKE " + template + "." + table);
            }
            for (String table : seeded) {
                statement.addBatch("INSERT INTO " + target + "." + table + " SELECT * FROM " + template + "." + table);
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the template database " + template + " into " + target, e);
        }
    }

    private static void readPlan(String template) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            List<String> others = strings(
                    statement,
                    "SELECT CONCAT('table ', table_name, ' (', table_type, ')') FROM information_schema.tables"
                            + " WHERE table_schema = '" + template + "' AND table_type <> 'BASE TABLE'"
                            + " UNION ALL SELECT CONCAT('trigger ', trigger_name) FROM information_schema.triggers"
                            + " WHERE trigger_schema = '" + template + "'"
                            + " UNION ALL SELECT CONCAT('routine ', routine_name) FROM information_schema.routines"
                            + " WHERE routine_schema = '" + template + "'"
                            + " UNION ALL SELECT CONCAT('event ', event_name) FROM information_schema.events"
                            + " WHERE event_schema = '" + template + "'"
                            + " UNION ALL SELECT CONCAT('partitioned table ', table_name) FROM information_schema.partitions"
                            + " WHERE table_schema = '" + template + "' AND partition_name IS NOT NULL"
                            + " UNION ALL SELECT CONCAT('foreign key ', constraint_name)"
                            + " FROM information_schema.referential_constraints WHERE constraint_schema = '" + template
                            + "'");
            if (!others.isEmpty()) {
                throw new IllegalStateException("the migrations made " + others + ", which the template copy"
                        + " (CREATE TABLE ... LIKE and the rows) does not carry: teach TemplateDatabase.copyInto them");
            }
            List<String> all = strings(
                    statement,
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + template
                            + "' ORDER BY table_name");
            List<String> withRows = new ArrayList<>();
            for (String table : all) {
                if (!strings(statement, "SELECT 1 FROM " + template + "." + table + " LIMIT 1")
                        .isEmpty()) {
                    withRows.add(table);
                }
            }
            tables = all;
            seeded = withRows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the template database " + template, e);
        }
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", "");
    }
}
