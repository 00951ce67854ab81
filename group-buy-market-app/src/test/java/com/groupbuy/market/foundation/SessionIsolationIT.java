package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator may run the server, or set the pool, at another transaction isolation level; the pool pins REPEATABLE
 * READ ({@code SessionIsolation}), whatever they say. Each case is the pool as the service builds it (its data source
 * auto-configuration and StatementBoundConfig) on the real MariaDB, with one setting of an operator's added, and the
 * guarantee a team's expiry stands on: its locking read of the team's live members through idx_team
 * ({@code IGroupBuyRefundDao.lockLiveMembers}) keeps a new member out of the team until it commits, so the members it
 * decides on and closes are all the team has when it then locks the team's row and fails it. Under READ COMMITTED
 * that read locks only the rows it found: a lock joining the team in between wrote its member (and, before the expiry
 * took the team's row, its place), and the expiry failed the team without that member, its order left LOCKED in a
 * failed team with no refund callback. The table is a fresh one of the test database, shaped as group_buy_order_list's
 * idx_team, and dropped after.
 * <p>
 * Proved to fail on main: with {@code spring.datasource.hikari.transaction-isolation=TRANSACTION_READ_COMMITTED}, or
 * {@code tx_isolation='READ-COMMITTED'} or {@code 'READ-UNCOMMITTED'} in the session variables (with or without
 * {@code useLocalSessionState}), the new member's insert went through at once while the expiry's read held the team's
 * members; with {@code TRANSACTION_SERIALIZABLE} a pooled session ran SERIALIZABLE; a {@code connection-init-sql} that
 * set the level started.
 */
class SessionIsolationIT {

    private static final AtomicInteger TABLE = new AtomicInteger();

    private static ApplicationContextRunner pool(String... properties) {
        return DriverSettingsIT.pool("", properties);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "spring.datasource.hikari.transaction-isolation=TRANSACTION_READ_COMMITTED",
                "spring.datasource.hikari.transaction-isolation=TRANSACTION_SERIALIZABLE",
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,"
                        + "tx_isolation='READ-COMMITTED'",
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,"
                        + "tx_isolation='READ-UNCOMMITTED'",
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,"
                        + "tx_isolation='READ-COMMITTED'"
                        + "|spring.datasource.hikari.data-source-properties.useLocalSessionState=true",
                "spring.datasource.hikari.transaction-isolation=TRANSACTION_REPEATABLE_READ"
            })
    void anExpiryKeepsNewMembersOutOfTheTeamWhateverTheOperatorSets(String settings) {
        pool(settings.split("\\|")).run(context -> {
            assertThat(context).hasNotFailed();
            DataSource dataSource = context.getBean(DataSource.class);
            String table = "iso_members_" + ProcessHandle.current().pid() + "_" + TABLE.incrementAndGet();
            try (Connection expiry = dataSource.getConnection();
                    Connection join = dataSource.getConnection();
                    Statement ddl = join.createStatement()) {
                ddl.execute("CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " team_id VARCHAR(16) NOT NULL, order_id VARCHAR(16) NOT NULL, status TINYINT NOT NULL,"
                        + " KEY idx_team (team_id)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
                        + " COLLATE utf8mb4_nopad_bin");
                try {
                    ddl.execute("INSERT INTO " + table + " (team_id, order_id, status) VALUES"
                            + " ('t0', 'o0', 0), ('t1', 'o1', 0), ('t2', 'o2', 0)");
                    expiry.setAutoCommit(false);
                    try (PreparedStatement members = expiry.prepareStatement("SELECT id, order_id FROM " + table
                            + " FORCE INDEX (idx_team) WHERE team_id = ? AND status IN (0, 1)"
                            + " ORDER BY id FOR UPDATE")) {
                        members.setString(1, "t1");
                        try (ResultSet rs = members.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(2)).isEqualTo("o1");
                            assertThat(rs.next()).isFalse();
                        }
                    }
                    ddl.execute("SET SESSION innodb_lock_wait_timeout = 1");
                    assertThatThrownBy(() -> ddl.executeUpdate("INSERT INTO " + table
                                    + " (team_id, order_id, status) VALUES ('t1', 'o-joined', 0)"))
                            .as("a member joining the team while its expiry holds the members it read")
                            .isInstanceOfSatisfying(
                                    SQLException.class,
                                    e -> assertThat(e.getErrorCode()).isEqualTo(1205));
                } finally {
                    if (!expiry.getAutoCommit()) {
                        expiry.rollback();
                        expiry.setAutoCommit(true);
                    }
                    ddl.execute("DROP TABLE IF EXISTS " + table);
                }
                assertThat(level(expiry)).as("a pooled session's level").isEqualTo("REPEATABLE-READ");
            }
        });
    }

    /** The transactions that want READ COMMITTED (a refund's, the outbox claim's) still run at it, and only they. */
    @Test
    void aTransactionThatAsksForReadCommittedRunsAtItAndTheSessionIsBackAfter() {
        pool("spring.datasource.hikari.maximum-pool-size=1").run(context -> {
            assertThat(context).hasNotFailed();
            DataSource dataSource = context.getBean(DataSource.class);
            TransactionTemplate readCommitted = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            AtomicReference<String> inside = new AtomicReference<>();
            readCommitted.executeWithoutResult(status -> {
                Connection connection = DataSourceUtils.getConnection(dataSource);
                try {
                    inside.set(level(connection));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } finally {
                    DataSourceUtils.releaseConnection(connection, dataSource);
                }
            });
            assertThat(inside.get()).isEqualTo("READ-COMMITTED");
            try (Connection connection = dataSource.getConnection()) {
                assertThat(level(connection)).as("the one pooled session after").isEqualTo("REPEATABLE-READ");
            }
        });
    }

    /** A connection-init-sql runs after the pool's level: one that changes it is refused. */
    @Test
    void aStartWhosePooledSessionsRunAtAnotherLevelIsRefused() {
        pool("spring.datasource.hikari.connection-init-sql=SET time_zone = '+00:00', tx_isolation = 'READ-COMMITTED'")
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: a pooled database session runs at transaction isolation"
                                + " READ-COMMITTED")
                        .contains("connection-init-sql"));
    }

    private static String level(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.tx_isolation")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
