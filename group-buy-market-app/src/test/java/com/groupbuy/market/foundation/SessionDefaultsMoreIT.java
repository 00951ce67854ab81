package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * More server defaults every session inherits, each set globally on a private mariadbd around its case (a {@code SET
 * GLOBAL}, as a DBA's my.cnf would set it; new sessions take it), the service's pool and Flyway on it:
 * <ul>
 *   <li>{@code tx_read_only=1} (MariaDB 10.11's name of {@code transaction_read_only}): its {@code read_only} is off,
 *       so the health check said the database took writes, while every write of every pooled session was refused (1792,
 *       "Cannot execute statement in a READ ONLY transaction"): every lock, settlement and refund answered E0401, each
 *       refusal retiring the pool for new connections as read-only as the old. Neither the pool nor the driver sets the
 *       access mode (Connector/J leaves it to the server below MySQL 5.6.5, as it reads MariaDB 10.11's version), and
 *       the variable's name differs between servers, so a start reads it back and refuses ({@code
 *       SessionDefaults.verifyWritable}); an operator's {@code tx_read_only=0} in {@code DB_SESSION_VARIABLES} serves.
 *   <li>{@code max_statement_time} (a guard against runaway queries): Flyway's own connection, meant to run a migration
 *       for as long as it takes, inherited it, and V13's rewrite of every live take (one UPDATE) was interrupted
 *       (1969), so the start failed; its init SQL now unbounds it on MariaDB.
 * </ul>
 * <p>
 * Proved to fail on main: the start on the read-only server was not refused ("to have failed but context started
 * successfully") and its pool's write was refused ("Cannot execute statement in a READ ONLY transaction"); the
 * migrations failed at V13 ("Query execution was interrupted (max_statement_time exceeded)").
 */
class SessionDefaultsMoreIT {

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start("gbm_more");
        try (Connection connection = connect("gbm_more");
                Statement statement = connection.createStatement()) {
            // group_buy_order's columns a team's end writes
            statement.execute("CREATE TABLE teams (id BIGINT AUTO_INCREMENT PRIMARY KEY, team_id VARCHAR(8) NOT NULL"
                    + " UNIQUE, lock_count INT NOT NULL, status TINYINT NOT NULL)");
            statement.execute("INSERT INTO teams (team_id, lock_count, status) VALUES ('t1', 3, 0)");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void aStartWhosePooledSessionsAreReadOnlyIsRefused() {
        readOnly(() -> SessionDefaultsIT.pool(server)
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: a pooled database session is read-only (tx_read_only=ON,")
                        .contains("add tx_read_only=0 (MySQL 8: transaction_read_only=0) to DB_SESSION_VARIABLES")));
    }

    /** The remedy the refusal names: the pool's sessions then write, a team's end as a refund writes it. */
    @Test
    void aWritableSessionVariableServesTheWrites() {
        readOnly(() -> SessionDefaultsIT.pool(
                        server,
                        "spring.datasource.hikari.data-source-properties.sessionVariables="
                                + "max_statement_time=10,tx_read_only=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                                    .update("UPDATE teams SET status = 2 WHERE team_id = ? AND status = 0", "t1"))
                            .isEqualTo(1);
                }));
    }

    /**
     * V13 rewrites every live take in one UPDATE: on a database of 30,000 takes (migrated to V12 first) that takes
     * longer than the server's bound, and the migrations still run to the end.
     */
    @Test
    void theMigrationsOutlastTheServersStatementBound() throws Exception {
        String migrated = "gbm_more_flyway";
        server.admin(
                "CREATE DATABASE " + migrated + " CHARACTER SET utf8mb4",
                "GRANT ALL PRIVILEGES ON " + migrated + ".* TO '" + PrivateMariaDb.USER + "'@'127.0.0.1'");
        migrating(migrated, "spring.flyway.target=12")
                .run(context -> assertThat(context).hasNotFailed());
        try (Connection connection = connect(migrated);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time,"
                    + " end_time, goods_id, source, channel, original_price, deduction_price, pay_price, out_trade_no,"
                    + " biz_id) SELECT CONCAT('u', seq), CONCAT('t', seq DIV 10), CONCAT('o', seq), 100123, NOW(3),"
                    + " NOW(3), 'g1', 's01', 'c01', 100, 10, 90, CONCAT('x', seq), CONCAT('100123_u', seq, '_1')"
                    + " FROM seq_1_to_30000");
        }
        server.admin("SET GLOBAL max_statement_time = 0.2");
        try {
            migrating(migrated).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                                .queryForObject(
                                        "SELECT COUNT(*) FROM " + migrated + ".group_buy_order_list"
                                                + " WHERE biz_id LIKE CONCAT('%', CHAR(31), '%')",
                                        Integer.class))
                        .as("takes rewritten by V13")
                        .isEqualTo(30_000);
            });
        } finally {
            server.admin("SET GLOBAL max_statement_time = 0");
        }
    }

    /** The service's pool and Flyway (its own connection to {@code database}, as application.yml sets it). */
    private static ApplicationContextRunner migrating(String database, String... properties) {
        return SessionDefaultsIT.pool(server, properties)
                .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues(
                        "spring.flyway.enabled=true",
                        "spring.flyway.locations=classpath:db/migration",
                        "spring.flyway.url=" + server.url().replace("/gbm_more?", "/" + database + "?"),
                        "spring.flyway.user=" + PrivateMariaDb.USER,
                        "spring.flyway.password=" + PrivateMariaDb.PASSWORD);
    }

    /** {@code run} while every new session starts read-only. */
    private static void readOnly(Runnable run) {
        server.admin("SET GLOBAL tx_read_only = 1");
        try {
            run.run();
        } finally {
            server.admin("SET GLOBAL tx_read_only = 0");
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                server.url().replace("/gbm_more?", "/" + database + "?"), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
    }
}
