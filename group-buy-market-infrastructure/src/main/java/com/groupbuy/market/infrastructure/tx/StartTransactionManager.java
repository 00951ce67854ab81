package com.groupbuy.market.infrastructure.tx;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.ConnectionHolderAccess;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Spring's {@code DataSourceTransactionManager} with one difference (#19): on a pooled connection in auto-commit mode
 * it opens the transaction with {@code START TRANSACTION} and ends it with {@code COMMIT} / {@code ROLLBACK}, leaving
 * the connection's auto-commit alone, instead of {@code SET autocommit=0} before and {@code SET autocommit=1} after
 * (two statements of control per transaction instead of three: {@code START TRANSACTION} and {@code COMMIT}, where
 * Spring sends {@code SET autocommit=0}, {@code COMMIT} and {@code SET autocommit=1}).
 * <p>
 * What that must still guarantee, since the pool resets nothing on a connection handed back in auto-commit mode: no
 * borrower ever inherits an open transaction. So a connection whose {@code COMMIT} or {@code ROLLBACK} failed (the
 * server's state unknown), or whose {@code START TRANSACTION} failed, is evicted from the pool (closed), never handed
 * back. It is used only where that eviction is possible (a Hikari pool); otherwise, and on a connection already in
 * manual-commit mode ({@code DB_AUTO_COMMIT=false}), it does exactly what Spring's manager does.
 * <p>
 * One difference in meaning is left, and is why this manager is not the application's: on an auto-commit connection a
 * transaction the server ends by itself (InnoDB rolls the whole transaction back on a deadlock) leaves the session in
 * auto-commit mode, so statements a caller still sent after catching that error would each commit on their own; under
 * {@code SET autocommit=0} they would open a new transaction, ended with the rest. Hence it runs only callbacks that
 * let every error out (the completing settlement's transaction and the callback's finish): the first error ends the
 * callback and the transaction is rolled back. It joins (and is joined by) Spring's manager on the same data source:
 * both keep the connection in a {@link ConnectionHolder} bound to it, and either participates in a transaction the
 * other opened.
 */
public class StartTransactionManager extends AbstractPlatformTransactionManager implements ResourceTransactionManager {

    private final DataSource dataSource;
    /** The pool to evict a connection of unknown state from; null: not a Hikari pool, so Spring's way throughout. */
    private final HikariDataSource pool;

    public StartTransactionManager(DataSource dataSource) {
        this.dataSource = dataSource;
        this.pool = hikari(dataSource);
        setNestedTransactionAllowed(true);
    }

    private static HikariDataSource hikari(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** Whether transactions on auto-commit connections open with START TRANSACTION (a Hikari pool): else Spring's way. */
    public boolean startsTransactions() {
        return pool != null;
    }

    @Override
    public Object getResourceFactory() {
        return dataSource;
    }

    @Override
    protected Object doGetTransaction() {
        TxObject tx = new TxObject();
        tx.setSavepointAllowed(isNestedTransactionAllowed());
        tx.setConnectionHolder((ConnectionHolder) TransactionSynchronizationManager.getResource(dataSource), false);
        return tx;
    }

    @Override
    protected boolean isExistingTransaction(Object transaction) {
        TxObject tx = (TxObject) transaction;
        return tx.hasConnectionHolder() && ConnectionHolderAccess.isTransactionActive(tx.getConnectionHolder());
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        TxObject tx = (TxObject) transaction;
        Connection con = null;
        try {
            if (!tx.hasConnectionHolder() || tx.getConnectionHolder().isSynchronizedWithTransaction()) {
                tx.setConnectionHolder(new ConnectionHolder(dataSource.getConnection()), true);
            }
            tx.getConnectionHolder().setSynchronizedWithTransaction(true);
            con = tx.getConnectionHolder().getConnection();
            tx.setPreviousIsolationLevel(DataSourceUtils.prepareConnectionForTransaction(con, definition));
            tx.setReadOnly(definition.isReadOnly());
            if (con.getAutoCommit()) {
                if (pool != null) {
                    // From here until COMMIT / ROLLBACK succeeded the connection may hold a transaction: evicted if
                    // anything fails on the way (START TRANSACTION itself included).
                    tx.started = true;
                    tx.evict = true;
                    try (Statement statement = con.createStatement()) {
                        statement.execute("START TRANSACTION");
                    }
                    tx.evict = false;
                } else {
                    tx.mustRestoreAutoCommit = true;
                    con.setAutoCommit(false);
                }
            }
            ConnectionHolderAccess.setTransactionActive(tx.getConnectionHolder(), true);
            int timeout = determineTimeout(definition);
            if (timeout != TransactionDefinition.TIMEOUT_DEFAULT) {
                tx.getConnectionHolder().setTimeoutInSeconds(timeout);
            }
            if (tx.isNewConnectionHolder()) {
                TransactionSynchronizationManager.bindResource(dataSource, tx.getConnectionHolder());
            }
        } catch (Throwable ex) {
            if (tx.isNewConnectionHolder()) {
                if (tx.evict) {
                    evict(con);
                }
                DataSourceUtils.releaseConnection(con, dataSource);
                tx.setConnectionHolder(null, false);
            }
            throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction", ex);
        }
    }

    @Override
    protected Object doSuspend(Object transaction) {
        ((TxObject) transaction).setConnectionHolder(null);
        return TransactionSynchronizationManager.unbindResource(dataSource);
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        TransactionSynchronizationManager.bindResource(dataSource, suspendedResources);
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        TxObject tx = (TxObject) status.getTransaction();
        Connection con = tx.getConnectionHolder().getConnection();
        end(tx, con, "COMMIT");
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        TxObject tx = (TxObject) status.getTransaction();
        Connection con = tx.getConnectionHolder().getConnection();
        end(tx, con, "ROLLBACK");
    }

    /** COMMIT or ROLLBACK; when it fails on a transaction we started, the connection is evicted at cleanup. */
    private void end(TxObject tx, Connection con, String sql) {
        try {
            if (tx.started) {
                tx.evict = true;
                try (Statement statement = con.createStatement()) {
                    statement.execute(sql);
                }
                tx.evict = false;
            } else if ("COMMIT".equals(sql)) {
                con.commit();
            } else {
                con.rollback();
            }
        } catch (SQLException ex) {
            throw new TransactionSystemException("JDBC " + sql + " failed", ex);
        }
    }

    @Override
    protected void doSetRollbackOnly(DefaultTransactionStatus status) {
        ((TxObject) status.getTransaction()).getConnectionHolder().setRollbackOnly();
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        TxObject tx = (TxObject) transaction;
        if (tx.isNewConnectionHolder()) {
            TransactionSynchronizationManager.unbindResource(dataSource);
        }
        Connection con = tx.getConnectionHolder().getConnection();
        if (tx.evict) {
            // The server's state is unknown (COMMIT / ROLLBACK did not answer): never handed to another borrower.
            evict(con);
        }
        try {
            if (tx.mustRestoreAutoCommit) {
                con.setAutoCommit(true);
            }
            DataSourceUtils.resetConnectionAfterTransaction(con, tx.getPreviousIsolationLevel(), tx.isReadOnly());
        } catch (Throwable ex) {
            logger.debug("Could not reset JDBC Connection after transaction", ex);
        }
        if (tx.isNewConnectionHolder()) {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
        tx.getConnectionHolder().clear();
    }

    private void evict(Connection con) {
        if (con == null || pool == null) {
            return;
        }
        try {
            pool.evictConnection(con);
        } catch (RuntimeException ex) {
            logger.warn("Could not evict a JDBC Connection of unknown transaction state", ex);
        }
    }

    /** The transaction object: Spring's (a connection holder, savepoints) plus how this one began. */
    private static final class TxObject extends JdbcTransactionObjectSupport {

        /** Opened with START TRANSACTION on an auto-commit connection. */
        boolean started;
        /** Opened by switching auto-commit off (not a Hikari pool): switched back on at cleanup. */
        boolean mustRestoreAutoCommit;
        /** A statement that leaves the connection outside a transaction has not (yet) succeeded. */
        boolean evict;

        private boolean newConnectionHolder;

        void setConnectionHolder(ConnectionHolder holder, boolean isNew) {
            super.setConnectionHolder(holder);
            this.newConnectionHolder = isNew;
        }

        boolean isNewConnectionHolder() {
            return newConnectionHolder;
        }

        @Override
        public boolean isRollbackOnly() {
            return getConnectionHolder().isRollbackOnly();
        }

        @Override
        public void flush() {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationUtils.triggerFlush();
            }
        }
    }
}
