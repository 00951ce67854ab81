package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.outage.SpaceRefusals;
import com.groupbuy.market.config.outage.StaleWriterEviction;
import com.groupbuy.market.config.outage.WritableDatabaseHealthIndicator;
import com.groupbuy.market.support.PrivateMariaDb;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Server settings changed while the service runs, on a private mariadbd (a {@code SET GLOBAL}; new sessions take it):
 * <ul>
 *   <li>{@code tx_read_only=1} (MySQL 8's {@code transaction_read_only}) after the start: every new pooled session is
 *       read-only and each write is refused (1792, E0401), while the {@code db} health component, which read only
 *       {@code @@global.read_only}, said UP, so a load balancer kept sending traffic. It reads the pooled session's
 *       access mode too: OUT_OF_SERVICE, and UP again once the setting is undone.
 *   <li>{@code idle_transaction_timeout=1}: a pooled session idle inside a transaction (a locking read, as a team's
 *       place look holds its row lock across a Redis call) longer is killed, so its commit fails; a start warns of it.
 * </ul>
 * <p>
 * Proved to fail on main: the health stayed UP ("expected: OUT_OF_SERVICE but was: UP"); no warning of the idle guard.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseRuntimeSettingsIT {

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start("gbm_runtime");
        try (Connection connection =
                        DriverManager.getConnection(server.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE teams (team_id VARCHAR(8) PRIMARY KEY, status TINYINT NOT NULL)");
            statement.execute("INSERT INTO teams VALUES ('t1', 0)");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void sessionsMadeReadOnlyWhileRunningAreNotUpOnHealth() {
        // No connection opened in the background (minimum-idle 0): each one the test meets was opened on demand, after
        // the last SET GLOBAL, not by the pool's filler racing it.
        SessionDefaultsIT.pool(server, "spring.datasource.hikari.minimum-idle=0")
                .run(context -> {
                    DataSource dataSource = context.getBean(DataSource.class);
                    WritableDatabaseHealthIndicator health = new WritableDatabaseHealthIndicator(
                            dataSource, new StaleWriterEviction(dataSource), new SpaceRefusals(Duration.ZERO));
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    server.admin("SET GLOBAL tx_read_only = 1");
                    try {
                        // the pool replaces its connections (a maxLifetime's turn, a failover's eviction)
                        dataSource
                                .unwrap(HikariDataSource.class)
                                .getHikariPoolMXBean()
                                .softEvictConnections();
                        assertThatThrownBy(() -> write(dataSource))
                                .hasRootCauseInstanceOf(SQLException.class)
                                .rootCause()
                                .hasMessageContaining("READ ONLY transaction");
                        Health readOnly = health.health();
                        assertThat(readOnly.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                        assertThat(readOnly.getDetails())
                                .containsEntry("readOnly", true)
                                .containsEntry(
                                        "reason",
                                        "the database takes no writes (the session's tx_read_only): locks, settlements and"
                                                + " refunds are answered E0401");
                    } finally {
                        server.admin("SET GLOBAL tx_read_only = 0");
                    }
                    dataSource
                            .unwrap(HikariDataSource.class)
                            .getHikariPoolMXBean()
                            .softEvictConnections();
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(write(dataSource)).isEqualTo(1);
                });
    }

    /** The place look's shape: a locking read, a slow call elsewhere (a slow Redis), the commit. */
    @Test
    void aShortIdleInTransactionGuardKillsTheLookAndIsWarnedOf(CapturedOutput output) {
        server.admin("SET GLOBAL idle_transaction_timeout = 1");
        try {
            SessionDefaultsIT.pool(server).run(context -> {
                assertThat(output.getOut())
                        .contains("a pooled database session is killed when idle inside a transaction longer than"
                                + " idle_transaction_timeout=1 s");
                DataSource dataSource = context.getBean(DataSource.class);
                try (Connection connection = dataSource.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement
                            .executeQuery("SELECT status FROM teams WHERE team_id = 't1' FOR UPDATE")
                            .close();
                    Thread.sleep(2_500); // the Redis call, slower than the guard
                    assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class);
                }
            });
        } finally {
            server.admin("SET GLOBAL idle_transaction_timeout = 0");
        }
    }

    private static int write(DataSource dataSource) {
        return new JdbcTemplate(dataSource).update("UPDATE teams SET status = status + 1 WHERE team_id = 't1'");
    }
}
