package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Every profile's pool sets the sql_mode our SQL is written for last in its session variables (a later one wins in
 * the driver's SET), whatever the operator's {@code DB_SESSION_VARIABLES} say, and Flyway's connection sets it too.
 */
class SessionSqlModeTest {

    private static final String OURS =
            "sql_mode='STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

    @Test
    void everyProfilesPoolSetsTheModeLast() {
        for (String profile : new String[] {"default", "dev", "prod", "test"}) {
            StatementBoundTest.shipped(profile).run(context -> {
                assertThat(context).hasNotFailed();
                HikariDataSource pool = context.getBean(HikariDataSource.class);
                assertThat(pool.getDataSourceProperties().getProperty("sessionVariables"))
                        .as(profile)
                        .isEqualTo("max_statement_time=10," + SessionDefaults.ASSIGNMENTS + "," + OURS);
            });
        }
    }

    @Test
    void anOperatorsOwnModeIsOverriddenByALaterEntry() {
        StatementBoundTest.shipped("prod")
                .withSystemProperties(
                        "DB_SESSION_VARIABLES=sql_mode='',max_execution_time=10000," + "innodb_lock_wait_timeout=10")
                .run(context -> assertThat(context.getBean(HikariDataSource.class)
                                .getDataSourceProperties()
                                .getProperty("sessionVariables"))
                        .endsWith("innodb_lock_wait_timeout=10," + SessionDefaults.ASSIGNMENTS + "," + OURS));
    }

    @Test
    void theUrlsSessionVariablesAreKeptWhenThePoolSetsNone() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:mysql://h/db?socketTimeout=12000&sessionVariables=max_statement_time%3D10");
        SessionSqlMode.apply(pool);
        assertThat(pool.getDataSourceProperties()).containsOnlyKeys("sessionVariables");
        assertThat(pool.getDataSourceProperties().getProperty("sessionVariables"))
                .isEqualTo("max_statement_time=10," + OURS);
        pool.close();
    }

    /**
     * Connector/J's DNS SRV URLs ({@code jdbc:mysql+srv:}, also with {@code loadbalance:} or {@code replication:}) are
     * the same driver and server: they were not taken for MySQL, so their sessions ran in the server's default mode and
     * neither the mode nor the statement bound was checked at start.
     */
    @Test
    void aDnsSrvUrlIsAMySqlPoolToo() {
        for (String url : new String[] {
            "jdbc:mysql+srv://db.example/db?socketTimeout=12000",
            "jdbc:mysql+srv:loadbalance://db.example/db?socketTimeout=12000",
            "jdbc:mysql+srv:replication://db.example/db?socketTimeout=12000"
        }) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url);
            pool.addDataSourceProperty("sessionVariables", "max_statement_time=10");
            SessionSqlMode.apply(pool);
            assertThat(pool.getDataSourceProperties().getProperty("sessionVariables"))
                    .as(url)
                    .isEqualTo("max_statement_time=10," + OURS);
            pool.close();
        }
        HikariDataSource unbounded = new HikariDataSource();
        unbounded.setJdbcUrl("jdbc:mysql+srv://db.example/db?socketTimeout=12000");
        assertThatThrownBy(() -> StatementBound.check(unbounded.getDataSourceProperties(), unbounded.getJdbcUrl()))
                .hasMessageContaining("sets no statement bound");
        unbounded.close();
    }

    @Test
    void modesCompareAsSets() {
        assertThat(SessionSqlMode.sameModes(
                        "NO_ENGINE_SUBSTITUTION,STRICT_TRANS_TABLES,error_for_division_by_zero", SessionSqlMode.MODE))
                .isTrue();
        assertThat(SessionSqlMode.sameModes("STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION", SessionSqlMode.MODE))
                .isFalse();
    }

    @Test
    void flywaysConnectionSetsTheModeUnlessTheOperatorGaveInitSql() {
        FluentConfiguration flyway = Flyway.configure();
        new StatementBoundConfig().flywaySessionSqlMode().customize(flyway);
        assertThat(flyway.getInitSql())
                .isEqualTo("SET SESSION " + OURS + ", " + SessionDefaults.ASSIGNMENTS
                        + " /*M!100101 , max_statement_time = 0 */");

        FluentConfiguration theirs = Flyway.configure().initSql("SET SESSION sql_mode='TRADITIONAL'");
        new StatementBoundConfig().flywaySessionSqlMode().customize(theirs);
        assertThat(theirs.getInitSql()).isEqualTo("SET SESSION sql_mode='TRADITIONAL'");
    }
}
