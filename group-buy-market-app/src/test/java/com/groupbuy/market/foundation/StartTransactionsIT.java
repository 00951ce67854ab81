package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.infrastructure.tx.StartTransactions;
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
 * {@link StartTransactions} on the real server (#19): a transaction on the pool's auto-commit connection is START
 * TRANSACTION … COMMIT with no SET autocommit, commits all of its MyBatis writes or none, and hands the connection
 * back in auto-commit mode with no transaction open; it joins Spring's transactions and is joined by them. One pooled
 * connection, so every step runs on the same physical connection and anything it left open would show.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.maximum-pool-size=1",
            "spring.datasource.hikari.minimum-idle=1",
            "gbm.switch.reload-interval=1h",
            "gbm.places.on-start=false"
        })
class StartTransactionsIT {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    DataSource dataSource;

    @Autowired
    INotifyTaskRepository outbox;

    @Autowired
    StartTransactions start;

    @Autowired
    TransactionTemplate spring;

    @Value("${gbm.test.database}")
    String database;

    @Test
    void aTransactionIsStartTransactionAndCommitWithoutAutocommitSwitches() throws Exception {
        assertThat(start.manager().startsTransactions()).isTrue();
        Session before = session();

        String key = key();
        start.execute(status -> {
            outbox.saveTask(task(key));
            outbox.saveTask(task(key + ":2"));
            return null;
        });

        Session after = session();
        assertThat(after.connectionId()).as("the same pooled connection").isEqualTo(before.connectionId());
        assertThat(after.setOptions() - before.setOptions())
                .as("SET autocommit")
                .isZero();
        assertThat(after.begins() - before.begins()).as("START TRANSACTION").isEqualTo(1);
        assertThat(after.commits() - before.commits()).isEqualTo(1);
        assertThat(committedTasks(key) + committedTasks(key + ":2")).isEqualTo(2);
        assertThat(handedBack()).isEqualTo(new HandedBack(true, false));
    }

    @Test
    void aCallbackThatThrowsLeavesNothingAndTheConnectionAsItWas() throws Exception {
        Session before = session();
        String key = key();

        assertThatThrownBy(() -> start.execute(status -> {
                    outbox.saveTask(task(key));
                    // Seen inside the transaction by its own connection, not yet by anyone else.
                    assertThat(committedTasksOrFail(key)).isZero();
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        start.execute(status -> {
            outbox.saveTask(task(key + ":marked"));
            status.setRollbackOnly();
            return null;
        });

        assertThat(committedTasks(key) + committedTasks(key + ":marked")).isZero();
        Session after = session();
        assertThat(after.connectionId()).as("kept: its state is known").isEqualTo(before.connectionId());
        assertThat(after.rollbacks() - before.rollbacks()).isEqualTo(2);
        assertThat(handedBack()).isEqualTo(new HandedBack(true, false));
    }

    @Test
    void itJoinsSpringsTransactionsAndIsJoinedByThem() throws Exception {
        Session before = session();
        String inSpring = key();
        String inStart = key();

        spring.executeWithoutResult(outer -> {
            outbox.saveTask(task(inSpring));
            start.execute(inner -> outbox.saveTask(task(inSpring + ":joined")));
            outer.setRollbackOnly();
        });
        start.execute(outer -> {
            outbox.saveTask(task(inStart));
            spring.executeWithoutResult(inner -> outbox.saveTask(task(inStart + ":joined")));
            return null;
        });

        assertThat(committedTasks(inSpring) + committedTasks(inSpring + ":joined"))
                .as("one transaction, rolled back")
                .isZero();
        assertThat(committedTasks(inStart) + committedTasks(inStart + ":joined"))
                .as("one transaction, committed")
                .isEqualTo(2);
        Session after = session();
        assertThat(after.commits() - before.commits()).isEqualTo(1);
        assertThat(after.rollbacks() - before.rollbacks()).isEqualTo(1);
        assertThat(after.begins() - before.begins())
                .as("START TRANSACTION: only the outer one of ours")
                .isEqualTo(1);
        assertThat(handedBack()).isEqualTo(new HandedBack(true, false));
    }

    @Test
    void aConnectionKilledBeforeItsCommitIsNotHandedBack() throws Exception {
        long first = session().connectionId();
        String key = key();

        assertThatThrownBy(() -> start.execute(status -> {
                    outbox.saveTask(task(key));
                    kill(first);
                    return null;
                }))
                .isInstanceOf(RuntimeException.class);

        assertThat(committedTasks(key)).isZero();
        assertThat(session().connectionId()).isNotEqualTo(first);
        assertThat(handedBack()).isEqualTo(new HandedBack(true, false));
    }

    private static String key() {
        return "start-tx-it:" + SEQ.incrementAndGet();
    }

    private static NotifyTaskEntity task(String key) {
        return NotifyTaskEntity.builder()
                .taskKey(key)
                .activityId(1L)
                .teamId("00000001")
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_settlement")
                .notifyType(NotifyTarget.HTTP)
                .notifyUrl("http://127.0.0.1:1/never")
                .body("{}")
                .build();
    }

    private record Session(long connectionId, long setOptions, long begins, long commits, long rollbacks) {}

    private record HandedBack(boolean autoCommit, boolean inTransaction) {}

    private Session session() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long id;
            try (ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
            return new Session(
                    id,
                    counter(statement, "Com_set_option"),
                    counter(statement, "Com_begin"),
                    counter(statement, "Com_commit"),
                    counter(statement, "Com_rollback"));
        }
    }

    private static long counter(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** What the next borrower gets: the connection's auto-commit mode and whether the server has a transaction open. */
    private HandedBack handedBack() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@autocommit, @@in_transaction")) {
            rs.next();
            return new HandedBack(connection.getAutoCommit() && rs.getInt(1) == 1, rs.getInt(2) == 1);
        }
    }

    private int committedTasksOrFail(String key) {
        try {
            return committedTasks(key);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int committedTasks(String key) throws SQLException {
        try (Connection outside = outside();
                PreparedStatement count = outside.prepareStatement(
                        "SELECT COUNT(*) FROM " + database + ".notify_task WHERE task_key = ?")) {
            count.setString(1, key);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void kill(long connectionId) {
        try (Connection outside = outside();
                Statement statement = outside.createStatement()) {
            statement.execute("KILL CONNECTION " + connectionId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain auto-commit client, connected to no database (so its own statements are never counted above). */
    private static Connection outside() throws SQLException {
        return DriverManager.getConnection(
                IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", "");
    }
}
