package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.TemplateDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The copy of the migrated template that each test context gets ({@link TemplateDatabase}) is what migrating an empty
 * database gives: the same objects, the same definitions (the AUTO_INCREMENT counter aside), the same schema history
 * (checksums) and the same rows in every table, and Flyway over the copy validates and finds nothing to do. A
 * migration that adds something the copy does not carry (a view, a trigger, a routine, an event, a foreign key, a
 * partition) fails here until {@link TemplateDatabase#copyInto} learns it.
 */
class MigratedCopyIT {

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String migrated = "gbm_cmp_m_" + suffix;
    private final String copy = "gbm_cmp_c_" + suffix;
    private final JdbcTemplate server = new JdbcTemplate(new DriverManagerDataSource(
            IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", ""));

    @AfterEach
    void dropBoth() {
        server.execute("DROP DATABASE IF EXISTS " + migrated);
        server.execute("DROP DATABASE IF EXISTS " + copy);
    }

    @Test
    void theCopyIsTheMigration() {
        server.execute("CREATE DATABASE " + migrated + " CHARACTER SET utf8mb4");
        server.execute("CREATE DATABASE " + copy + " CHARACTER SET utf8mb4");
        TemplateDatabase.name();
        long start = System.nanoTime();
        assertThat(flyway(migrated).migrate().migrationsExecuted).isPositive();
        long migrating = System.nanoTime();
        TemplateDatabase.copyInto(copy);
        System.out.printf(
                "migrating an empty database took %d ms, copying the template %d ms%n",
                (migrating - start) / 1_000_000, (System.nanoTime() - migrating) / 1_000_000);

        List<String> expected = shape(migrated);
        assertThat(shape(copy)).containsExactlyElementsOf(expected);
        assertThat(expected).anyMatch(line -> line.startsWith("row flyway_schema_history:"));

        assertThat(flyway(copy).validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway(copy).migrate().migrationsExecuted).isZero();
    }

    private static Flyway flyway(String database) {
        return TemplateDatabase.flyway(
                IsolatedDatabaseInitializer.SERVER + database + IsolatedDatabaseInitializer.PARAMS);
    }

    /** Everything a migration can leave in {@code database}, one line each, the database's name replaced by "db". */
    private List<String> shape(String database) {
        List<String> lines = new ArrayList<>();
        String in = " = '" + database + "' ORDER BY 1";
        lines.addAll(strings("SELECT CONCAT('object ', table_name, ' ', table_type) FROM information_schema.tables"
                + " WHERE table_schema" + in));
        for (String table : strings("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                + " AND table_schema" + in)) {
            String create =
                    server.queryForObject("SHOW CREATE TABLE " + database + "." + table, (rs, i) -> rs.getString(2));
            lines.add("create " + create.replaceAll(" AUTO_INCREMENT=\\d+", ""));
            String columns = table.equals("flyway_schema_history")
                    ? "installed_rank, version, description, type, script, checksum, installed_by, success"
                    : "*";
            for (String row :
                    server.query("SELECT " + columns + " FROM " + database + "." + table + " ORDER BY 1", (rs, i) -> {
                        List<String> values = new ArrayList<>();
                        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                            values.add(rs.getString(c));
                        }
                        return String.join("|", values);
                    })) {
                lines.add("row " + table + ": " + row);
            }
        }
        lines.addAll(strings("SELECT CONCAT('view ', table_name, ' ', view_definition) FROM information_schema.views"
                + " WHERE table_schema" + in));
        lines.addAll(strings("SELECT CONCAT('trigger ', trigger_name, ' ', event_object_table, ' ', action_timing, ' ',"
                + " event_manipulation, ' ', action_statement) FROM information_schema.triggers WHERE trigger_schema"
                + in));
        lines.addAll(strings("SELECT CONCAT('routine ', routine_name, ' ', routine_type, ' ', routine_definition)"
                + " FROM information_schema.routines WHERE routine_schema" + in));
        lines.addAll(strings("SELECT CONCAT('event ', event_name, ' ', event_definition) FROM information_schema.events"
                + " WHERE event_schema" + in));
        lines.addAll(strings("SELECT CONCAT('foreign key ', table_name, ' ', constraint_name, ' ',"
                + " referenced_table_name) FROM information_schema.referential_constraints WHERE constraint_schema"
                + in));
        lines.addAll(strings("SELECT CONCAT('partition ', table_name, ' ', partition_name) FROM"
                + " information_schema.partitions WHERE partition_name IS NOT NULL AND table_schema" + in));
        return lines.stream().map(line -> line.replace(database, "db")).collect(Collectors.toList());
    }

    private List<String> strings(String sql) {
        return server.queryForList(sql, String.class);
    }
}
