package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code DB_AUTO_COMMIT=false} the pool's connections wait in manual-commit mode (application.yml), so a
 * transaction costs no {@code SET autocommit} round trips; work outside a transaction must still end committed, and no connection may carry an open
 * transaction (a stale REPEATABLE READ snapshot, held locks) to its next borrower. One pooled connection, so every
 * step below runs on the same physical connection and anything it left open would show.
 */
@IntegrationTest
// Nothing else borrows the connection meanwhile: no periodic switch reload, no start-up place reconciliation.
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.auto-commit=false",
            "spring.datasource.hikari.maximum-pool-size=1",
            "spring.datasource.hikari.minimum-idle=1",
            "gbm.switch.reload-interval=1h",
            "gbm.places.on-start=false"
        })
class AutoCommitOffIT {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    DataSource dataSource;

    @Autowired
    INotifyTaskRepository outbox;

    @Autowired
    INotifyTaskDao tasks;

    @Autowired
    TransactionTemplate transaction;

    @Value("${gbm.test.database}")
    String database;

    @Test
    void pooledConnectionsAreInManualCommitModeAndATransactionSendsNoAutocommitSwitch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getAutoCommit()).isFalse();
        }
        Session before = session();

        String key = key();
        transaction.executeWithoutResult(status -> outbox.saveTask(task(key)));

        Session after = session();
        assertThat(after.connectionId()).as("the same pooled connection").isEqualTo(before.connectionId());
        assertThat(after.setOptions() - before.setOptions())
                .as("SET autocommit around the transaction")
                .isZero();
        assertThat(after.commits() - before.commits()).isEqualTo(1);
        assertThat(committedTasks(key)).isEqualTo(1);
    }

    @Test
    void aReadOutsideATransactionLeavesNoTransactionOpenAndTheNextReadSeesNewRows() throws Exception {
        String key = key();
        assertThat(tasks.queryIdByTaskKey(key)).isNull();
        assertThat(transactionOpenOnBorrow()).isFalse();

        // Written by another client after the first read: a snapshot left open by that read would hide it.
        insertElsewhere(key);

        assertThat(tasks.queryIdByTaskKey(key)).isNotNull();
        assertThat(transactionOpenOnBorrow()).isFalse();
    }

    @Test
    void aWriteOutsideATransactionIsCommitted() throws Exception {
        String key = key();

        outbox.saveTask(task(key));

        assertThat(committedTasks(key)).isEqualTo(1);
        assertThat(transactionOpenOnBorrow()).isFalse();
    }

    @Test
    void aTransactionRolledBackLeavesNothingAndOneCommittedLeavesAll() throws Exception {
        String rolledBack = key();
        String committed = key();

        transaction.executeWithoutResult(status -> {
            outbox.saveTask(task(rolledBack));
            outbox.saveTask(task(rolledBack + ":2"));
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> {
            outbox.saveTask(task(committed));
            outbox.saveTask(task(committed + ":2"));
        });

        assertThat(committedTasks(rolledBack) + committedTasks(rolledBack + ":2"))
                .isZero();
        assertThat(committedTasks(committed) + committedTasks(committed + ":2")).isEqualTo(2);
        assertThat(transactionOpenOnBorrow()).isFalse();
    }

    @Test
    void aConnectionHandedBackWithUncommittedWorkIsRolledBackByThePool() throws Exception {
        // What a plain JdbcTemplate write outside a transaction would do (hence the tests' committing template).
        String key = key();
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, database, key);
            assertThat(inTransaction(connection))
                    .as("the check sees an open transaction")
                    .isTrue();
        }

        assertThat(committedTasks(key)).isZero();
        assertThat(transactionOpenOnBorrow()).isFalse();
    }

    private static String key() {
        return "autocommit-it:" + SEQ.incrementAndGet();
    }

    private static NotifyTaskEntity task(String key) {
        return HttpTaskEntities.task(key, "http://127.0.0.1:1/never");
    }

    private record Session(long connectionId, long setOptions, long commits) {}

    /** Counters of the pool's one connection, read on it (the read itself is rolled back by the pool on return). */
    private Session session() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long id;
            try (ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
            return new Session(id, counter(statement, "Com_set_option"), counter(statement, "Com_commit"));
        }
    }

    private static long counter(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /**
     * Whether the pool's connection comes with a transaction open, asked on it as its next borrower does
     * ({@code @@in_transaction}, MariaDB; reading a variable starts none).
     */
    private boolean transactionOpenOnBorrow() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection);
        }
    }

    private static boolean inTransaction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@in_transaction")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private int committedTasks(String key) throws SQLException {
        try (Connection outside = outside("");
                PreparedStatement count = outside.prepareStatement(
                        "SELECT COUNT(*) FROM " + database + ".notify_task WHERE task_key = ?")) {
            count.setString(1, key);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void insertElsewhere(String key) throws SQLException {
        try (Connection outside = outside("")) {
            insert(outside, database, key);
        }
    }

    private static void insert(Connection connection, String database, String key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database
                + ".notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                + "notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time) "
                + "VALUES (?, ?, 1, '00000001', 's01', 'c01', 'trade_settlement', 'HTTP', 'http://127.0.0.1:1/never', "
                + "0, 0, '{}', UTC_TIMESTAMP(3))")) {
            insert.setString(1, key);
            insert.setString(2, "msg_" + key);
            insert.executeUpdate();
        }
    }

    /** A plain auto-commit client, connected to no database (so its own statements are never counted above). */
    private static Connection outside(String database) throws SQLException {
        return DriverManager.getConnection(
                IsolatedDatabaseInitializer.SERVER + database + IsolatedDatabaseInitializer.PARAMS, "root", "");
    }
}
