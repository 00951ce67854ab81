package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.outage.SessionDefaults;
import com.groupbuy.market.config.outage.StatementBoundConfig;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.StartRefusal;
import com.groupbuy.market.support.TradeClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A database server whose default {@code sql_mode} is not the one our SQL was written for. Nothing set the session's
 * mode: every pooled connection took the server's. Here the server's default is MariaDB's
 * {@code SIMULTANEOUS_ASSIGNMENT} (an UPDATE's assignments all read the row as it was) with {@code ANSI_QUOTES} and
 * {@code PIPES_AS_CONCAT}, played by the pool's session variables, which Connector/J sets before it reads the
 * server's variables, as a server default would be read. On main the refund of a formed team's last paid member left
 * the team "complete with a refund" with no paid member ({@code releasePaidPlace} reads the decremented count left to
 * right), where it must fail. Every pooled connection now sets the mode it needs itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(
        properties =
                // The pool's session variables (DB_SESSION_VARIABLES) plus a server's odd default sql_mode.
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,"
                        + "sql_mode='SIMULTANEOUS_ASSIGNMENT,ANSI_QUOTES,PIPES_AS_CONCAT'")
class SessionSqlModeIT {

    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(63_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    Flyway flyway;

    @Test
    void theLastPaidMemberOfAFormedTeamRefundedFailsTheTeam() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        String teamId = mall.team("m1", "m2", "m3");
        for (String user : List.of("m1", "m2", "m3")) {
            assertThat(mall.settle(user).path("code").asText()).isEqualTo("0000");
        }
        for (String user : List.of("m1", "m2", "m3")) {
            assertThat(mall.refund(user).path("data").path("code").asText()).isEqualTo("success");
        }

        Map<String, Object> team = jdbc.queryForMap(
                "SELECT status, complete_count, lock_count FROM group_buy_order WHERE team_id = ?", teamId);
        assertThat(team)
                .as("the team once every paid member was refunded: failed (2), no member counted")
                .containsEntry("status", 2)
                .containsEntry("complete_count", 0)
                .containsEntry("lock_count", 0);
    }

    @Test
    void everyPooledSessionRunsInTheModeTheSqlWasWrittenFor() {
        String mode = jdbc.queryForObject("SELECT @@SESSION.sql_mode", String.class);
        assertThat(Arrays.asList(mode.split(",")))
                .as("the session's sql_mode")
                .containsExactlyInAnyOrder(
                        "STRICT_TRANS_TABLES", "ERROR_FOR_DIVISION_BY_ZERO", "NO_ENGINE_SUBSTITUTION");
        assertThat(flyway.getConfiguration().getInitSql())
                .as("what Flyway's own connection runs first")
                .isEqualTo(
                        "SET SESSION sql_mode='STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', "
                                + SessionDefaults.ASSIGNMENTS + SessionDefaults.FLYWAY_UNBOUNDED);
    }

    /** A connection-init-sql runs after the driver's session variables: one that changes the mode is refused. */
    @Test
    void aStartWhosePooledSessionsRunInAnotherModeIsRefused() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(StatementBoundConfig.class)
                .withPropertyValues(
                        "spring.datasource.url=" + environment.getRequiredProperty("spring.datasource.url"),
                        "spring.datasource.username=root",
                        "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10",
                        "spring.datasource.hikari.data-source-properties.socketTimeout=12000",
                        "spring.datasource.hikari.connection-init-sql=SET time_zone = '+00:00', sql_mode = 'ANSI_QUOTES'")
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: a pooled database session runs in sql_mode='ANSI_QUOTES'")
                        .contains("connection-init-sql"));
    }
}
