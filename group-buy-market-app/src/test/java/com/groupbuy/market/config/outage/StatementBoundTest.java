package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

/**
 * A pool whose statement bound the socket timeout would cut first is refused at start, naming both settings. On main
 * each refused context below started (checked with the check's body emptied): {@code DB_SESSION_VARIABLES} raising
 * {@code max_statement_time} to or past the 12 s socket timeout, dropping it, setting it to 0 (unbounded), MySQL's
 * {@code max_execution_time} without a bound on writes' lock waits, and a pool with no socket timeout at all.
 */
class StatementBoundTest {

    /** The shipped application.yml (plus a profile's file), the data source auto-configured, the check in place. */
    static ApplicationContextRunner shipped(String profile) {
        return new ApplicationContextRunner()
                .withInitializer(context -> load(context, profile))
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(StatementBoundConfig.class);
    }

    private static void load(ConfigurableApplicationContext context, String profile) {
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        try {
            for (String file : new String[] {"application-" + profile + ".yml", "application.yml"}) {
                new YamlPropertySourceLoader()
                        .load(file, new ClassPathResource(file))
                        .forEach(sources::addLast);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // What the embedded profile's post-processor and prod's environment supply.
        sources.addLast(new MapPropertySource(
                "environment",
                Map.of(
                        "spring.datasource.url",
                        "jdbc:mysql://127.0.0.1:1/none",
                        "DB_URL",
                        "jdbc:mysql://127.0.0.1:1/none",
                        "DB_USERNAME",
                        "u",
                        "DB_PASSWORD",
                        "p")));
    }

    @Test
    void everyProfileStartsWithTheShippedBounds() {
        for (String profile : new String[] {"default", "dev", "prod", "test"}) {
            shipped(profile).run(context -> assertThat(context).hasNotFailed());
        }
    }

    @Test
    void boundsThatEndALockWaitBeforeTheSocketStart() {
        for (String variables : new String[] {
            "max_statement_time=11",
            "max_statement_time=0.5,time_zone='-05:00'",
            "SESSION max_statement_time = 2; innodb_lock_wait_timeout=50",
            "@@session.max_statement_time=10",
            "max_execution_time=10000,innodb_lock_wait_timeout=10"
        }) {
            shipped("test")
                    .withSystemProperties("DB_SESSION_VARIABLES=" + variables)
                    .run(context -> assertThat(context).as(variables).hasNotFailed());
        }
    }

    @Test
    void aBoundTheSocketWouldCutFirstIsRefusedNamingBothSettings() {
        assertRefused(
                "DB_SESSION_VARIABLES=max_statement_time=12",
                "max_statement_time=12 (12000 ms) does not end a lock wait at least 1000 ms before",
                "socketTimeout=12000",
                "at least 13000 ms");
        assertRefused("DB_SESSION_VARIABLES=max_statement_time=11.5", "max_statement_time=11.5 (11500 ms)");
        assertRefused("DB_SESSION_VARIABLES=max_statement_time=30", "raise socketTimeout to at least 31000 ms");
        // A later entry wins, as in the driver's SET.
        assertRefused("DB_SESSION_VARIABLES=max_statement_time=10,max_statement_time=20", "max_statement_time=20");
        assertRefused(
                "DB_SESSION_VARIABLES=max_execution_time=12000,innodb_lock_wait_timeout=10",
                "max_execution_time=12000");
        assertRefused(
                "DB_SESSION_VARIABLES=max_execution_time=10000,innodb_lock_wait_timeout=50",
                "innodb_lock_wait_timeout=50");
    }

    @Test
    void aMissingOrZeroBoundIsRefused() {
        assertRefused("DB_SESSION_VARIABLES=time_zone='+00:00'", "sets no statement bound", "max_statement_time=10");
        assertRefused("DB_SESSION_VARIABLES=max_statement_time=0", "max_statement_time=0 leaves statements unbounded");
        assertRefused("DB_SESSION_VARIABLES=max_statement_time=ten", "max_statement_time=ten is not a number");
        assertRefused(
                "DB_SESSION_VARIABLES=max_execution_time=10000",
                "bounds SELECTs only",
                "add innodb_lock_wait_timeout=10");
    }

    @Test
    void aPoolWithoutSocketTimeoutIsRefused() {
        assertRefused(
                "spring.datasource.hikari.data-source-properties.socketTimeout=0",
                "socketTimeout=0 waits for ever on a lost database",
                "12000");
    }

    @Test
    void theUrlsParametersCountWhereThePoolSetsNone() {
        Properties none = new Properties();
        StatementBound.check(none, "jdbc:h2:mem:x"); // not a MySQL or MariaDB pool: nothing to check
        StatementBound.check(none, "jdbc:mysql://h/db?socketTimeout=12000&sessionVariables=max_statement_time%3D10");
        assertThat(StatementBound.problems(null, null)).hasSize(2);
        Properties pool = new Properties();
        pool.put("SOCKETTIMEOUT", 12000);
        pool.setProperty("sessionvariables", "max_statement_time=10");
        StatementBound.check(pool, "jdbc:mysql://h/db?socketTimeout=0&sessionVariables=max_statement_time%3D0");
    }

    private static void assertRefused(String property, String... reasons) {
        ApplicationContextRunner runner = property.startsWith("DB_")
                ? shipped("test").withSystemProperties(property)
                : shipped("test").withPropertyValues(property);
        runner.run(context -> {
            assertThat(context).as(property).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as(property).isInstanceOf(IllegalStateException.class);
            assertThat(cause.getMessage())
                    .as(property)
                    .startsWith("refusing to start: ")
                    .contains("spring.datasource.hikari.data-source-properties.");
            for (String reason : reasons) {
                assertThat(cause.getMessage()).as(property).contains(reason);
            }
        });
    }
}
