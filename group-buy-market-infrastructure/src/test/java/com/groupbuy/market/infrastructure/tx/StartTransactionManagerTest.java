package com.groupbuy.market.infrastructure.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The manager's every path on a Hikari pool's auto-commit connection: what it sends, and that a connection whose
 * transaction state is unknown (START TRANSACTION, COMMIT or ROLLBACK failed) is evicted, never handed back as it is.
 * Its effect on a real server (statements counted, rows, joining Spring's manager) is StartTransactionsIT's.
 */
class StartTransactionManagerTest {

    private HikariDataSource pool;
    private Connection con;
    private Statement statement;

    @BeforeEach
    void setUp() throws SQLException {
        pool = mock(HikariDataSource.class);
        when(pool.isWrapperFor(HikariDataSource.class)).thenReturn(true);
        when(pool.unwrap(HikariDataSource.class)).thenReturn(pool);
        con = mock(Connection.class);
        statement = mock(Statement.class);
        when(pool.getConnection()).thenReturn(con);
        when(con.getAutoCommit()).thenReturn(true);
        when(con.createStatement()).thenReturn(statement);
    }

    private TransactionTemplate template(DataSource dataSource) {
        return new TransactionTemplate(new StartTransactionManager(dataSource));
    }

    @Test
    void aCommittedTransactionIsStartTransactionThenCommitWithAutoCommitLeftOn() throws SQLException {
        String result = template(pool).execute(status -> {
            assertThat(DataSourceUtils.getConnection(pool)).isSameAs(con);
            assertThat(TransactionSynchronizationManager.isActualTransactionActive())
                    .isTrue();
            return "done";
        });

        assertThat(result).isEqualTo("done");
        InOrder order = inOrder(statement, con);
        order.verify(statement).execute("START TRANSACTION");
        order.verify(statement).execute("COMMIT");
        order.verify(con).close();
        verify(con, never()).setAutoCommit(anyBoolean());
        verify(con, never()).commit();
        verify(pool, never()).evictConnection(con);
        assertThat(TransactionSynchronizationManager.hasResource(pool)).isFalse();
    }

    @Test
    void aCallbackThatThrowsIsRolledBackAndTheConnectionGoesBack() throws SQLException {
        assertThatThrownBy(() -> template(pool).execute(status -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);

        verify(statement).execute("START TRANSACTION");
        verify(statement).execute("ROLLBACK");
        verify(statement, never()).execute("COMMIT");
        verify(con).close();
        verify(pool, never()).evictConnection(con);
    }

    @Test
    void rollbackOnlyIsRolledBack() throws SQLException {
        template(pool).executeWithoutResult(status -> status.setRollbackOnly());

        verify(statement).execute("ROLLBACK");
        verify(statement, never()).execute("COMMIT");
        verify(pool, never()).evictConnection(con);
    }

    @Test
    void aFailedCommitEvictsTheConnection() throws SQLException {
        when(statement.execute("COMMIT")).thenThrow(new SQLException("lost"));

        assertThatThrownBy(() -> template(pool).execute(status -> "done"))
                .isInstanceOf(TransactionSystemException.class);

        verify(pool).evictConnection(con);
        verify(con).close();
    }

    @Test
    void aFailedRollbackEvictsTheConnection() throws SQLException {
        when(statement.execute("ROLLBACK")).thenThrow(new SQLException("lost"));

        assertThatThrownBy(() -> template(pool).execute(status -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(TransactionSystemException.class);

        verify(pool).evictConnection(con);
        verify(con).close();
    }

    @Test
    void aFailedStartTransactionEvictsTheConnectionAndRunsNothing() throws SQLException {
        when(statement.execute("START TRANSACTION")).thenThrow(new SQLTransientConnectionException("lost"));

        assertThatThrownBy(() -> template(pool).execute(status -> {
                    throw new AssertionError("must not run");
                }))
                .isInstanceOf(CannotCreateTransactionException.class);

        verify(pool).evictConnection(con);
        verify(con).close();
        assertThat(TransactionSynchronizationManager.hasResource(pool)).isFalse();
    }

    @Test
    void aConnectionAlreadyInManualCommitModeIsCommittedAsSpringDoes() throws SQLException {
        when(con.getAutoCommit()).thenReturn(false);

        template(pool).execute(status -> "done");

        verify(con).commit();
        verify(con, never()).setAutoCommit(anyBoolean());
        verify(statement, never()).execute("START TRANSACTION");
        verify(con).close();
    }

    @Test
    void withoutAHikariPoolItSwitchesAutoCommitAsSpringDoes() throws SQLException {
        DataSource plain = mock(DataSource.class);
        when(plain.getConnection()).thenReturn(con);
        StartTransactionManager manager = new StartTransactionManager(plain);
        assertThat(manager.startsTransactions()).isFalse();

        new TransactionTemplate(manager).execute(status -> "done");

        InOrder order = inOrder(con);
        order.verify(con).setAutoCommit(false);
        order.verify(con).commit();
        order.verify(con).setAutoCommit(true);
        order.verify(con).close();
        verify(statement, never()).execute("START TRANSACTION");
    }

    @Test
    void aTransactionAlreadyOpenIsJoinedNotRestarted() throws SQLException {
        TransactionTemplate outer = template(pool);
        TransactionTemplate inner = template(pool);

        outer.execute(status -> inner.execute(nested -> "done"));

        verify(statement).execute("START TRANSACTION");
        verify(statement).execute("COMMIT");
        verify(con).close();
    }
}
