package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.TestDatabaseNames;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A test JVM killed before its shutdown hooks ran leaves its databases on the shared server; the next JVM's template
 * drops them, and only them: a live JVM's databases (this one's) and names not of that form stay.
 */
class TestDatabaseNamesIT {

    private final JdbcTemplate server = new JdbcTemplate(new DriverManagerDataSource(
            IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", ""));
    private String orphanContext;
    private String orphanTemplate;
    private final String live = TestDatabaseNames.next("t", 12);
    private final String other = "gbm_t_second_" + Long.toHexString(System.nanoTime());

    @AfterEach
    void dropAll() {
        for (String name : new String[] {orphanContext, orphanTemplate, live, other}) {
            if (name != null) {
                server.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    @Test
    void onlyTheDatabasesOfAJvmThatIsGoneAreDropped() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        orphanContext = "gbm_t_" + gone.pid() + "_0123456789ab";
        orphanTemplate = "gbm_tpl_" + gone.pid() + "_abcdef";
        for (String name : List.of(orphanContext, orphanTemplate, live, other)) {
            server.execute("CREATE DATABASE " + name);
        }

        List<String> dropped = TestDatabaseNames.dropOrphans();

        assertThat(dropped).contains(orphanContext, orphanTemplate).doesNotContain(live, other);
        assertThat(server.queryForList(
                        "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN (?, ?, ?, ?)",
                        String.class,
                        orphanContext,
                        orphanTemplate,
                        live,
                        other))
                .containsExactlyInAnyOrder(live, other);
    }
}
