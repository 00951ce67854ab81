package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A server whose sessions start read-only: {@code SET GLOBAL tx_read_only = 1} (MariaDB 10.11's name of {@code
 * transaction_read_only}) on a private mariadbd, as a DBA's my.cnf {@code transaction-read-only} would. Its
 * {@code read_only} is off, so the health check said the database took writes, while every write of every pooled
 * session was refused (1792, "Cannot execute statement in a READ ONLY transaction"): every lock, settlement and refund
 * answered E0401, each refusal retiring the pool for new connections as read-only as the old. Neither the pool nor the
 * driver sets the access mode (Connector/J leaves it to the server below MySQL 5.6.5, as it reads MariaDB 10.11's
 * version), and the variable's name differs between servers, so a start reads it back and refuses ({@code
 * SessionDefaults.verifyWritable}); an operator's {@code tx_read_only=0} in {@code DB_SESSION_VARIABLES} serves.
 * <p>
 * Proved to fail on main: the start was not refused ("to have failed but context started successfully"), and its
 * pool's write was refused ("Cannot execute statement in a READ ONLY transaction").
 */
class SessionDefaultsMoreIT {

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start("gbm_readonly");
        try (Connection connection =
                        DriverManager.getConnection(server.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
                Statement statement = connection.createStatement()) {
            // group_buy_order's columns a team's end writes
            statement.execute("CREATE TABLE teams (id BIGINT AUTO_INCREMENT PRIMARY KEY, team_id VARCHAR(8) NOT NULL"
                    + " UNIQUE, lock_count INT NOT NULL, status TINYINT NOT NULL)");
            statement.execute("INSERT INTO teams (team_id, lock_count, status) VALUES ('t1', 3, 0)");
        }
        server.admin("SET GLOBAL tx_read_only = 1");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void aStartWhosePooledSessionsAreReadOnlyIsRefused() {
        SessionDefaultsIT.pool(server)
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: a pooled database session is read-only (tx_read_only=ON,")
                        .contains("add tx_read_only=0 (MySQL 8: transaction_read_only=0) to DB_SESSION_VARIABLES"));
    }

    /** The remedy the refusal names: the pool's sessions then write, a team's end as a refund writes it. */
    @Test
    void aWritableSessionVariableServesTheWrites() {
        SessionDefaultsIT.pool(
                        server,
                        "spring.datasource.hikari.data-source-properties.sessionVariables="
                                + "max_statement_time=10,tx_read_only=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                                    .update("UPDATE teams SET status = 2 WHERE team_id = ? AND status = 0", "t1"))
                            .isEqualTo(1);
                });
    }
}
