package com.groupbuy.market.infrastructure.trade.repository;

import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server session a transaction's COMMIT went out on, and that session's end made certain from another connection
 * ({@link UnknownCommits}). A COMMIT whose answer failed may still be inside the server, where nothing notices that its
 * client is gone (waiting for a semi-synchronous replica's acknowledgement, the binary log's group commit, space on the
 * binary log's disk), and land after a read back found nothing: the rows committed while their writer answered an error
 * or wrote them again. So, when the driver closed the connection (an answered COMMIT, even an error, leaves it open:
 * that session is out of its COMMIT and may be lent again, so it is never killed), the session is killed ({@code KILL
 * CONNECTION}: our account may end its own sessions) and awaited until it is gone from the process list; only then can
 * nothing of it commit any more, and the read back's "absent" is true. A KILL does not undo a COMMIT already past the
 * binary log's write: that session ends once it has committed, and the read back after it finds the rows.
 *
 * <p>The session's id is the server thread id Connector/J was told in the handshake ({@code JdbcConnection.getId()}):
 * no statement is added to a transaction that commits (#19 counts statements per lock), only to one whose COMMIT
 * failed. The id is the server's only when the service connects to MariaDB itself, as it does: through a proxy that
 * answers the handshake itself (ProxySQL) it would name the proxy's session, not the server's.
 */
final class CommitSessions implements UnknownCommits.Sessions {

    /** The wait when the connection has no socket timeout (a start refuses none: {@code StatementBound}). */
    private static final int DEFAULT_BOUND_MS = 10_000;

    /** Between two reads of the process list while the session ends. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** MariaDB and MySQL: "Unknown thread id" (the session ended already). */
    private static final int NO_SUCH_THREAD = 1094;

    private final DataSource dataSource;

    private CommitSessions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The sessions of {@code transaction}'s data source; none known when its manager has none (none can be ended). */
    static UnknownCommits.Sessions of(TransactionTemplate transaction) {
        if (transaction.getTransactionManager() instanceof DataSourceTransactionManager manager
                && manager.getDataSource() != null) {
            return new CommitSessions(manager.getDataSource());
        }
        return UnknownCommits.Sessions.NONE;
    }

    /** The session of the connection bound to the current transaction, as the driver knows it (no round trip). */
    @Override
    public UnknownCommits.Session current() {
        JdbcConnection connection = driverConnection();
        if (connection == null) {
            return UnknownCommits.Sessions.NONE.current();
        }
        long id = connection.getId(); // read while it is open
        return () -> ended(connection, id);
    }

    private JdbcConnection driverConnection() {
        if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)
                || holder.getConnectionHandle() == null) {
            return null;
        }
        try {
            Connection connection = holder.getConnection();
            return connection.isWrapperFor(JdbcConnection.class) ? connection.unwrap(JdbcConnection.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Whether session {@code id} of {@code connection} (the driver's own, still held after the pool took it back) is
     * out of its COMMIT. Still open, the COMMIT was answered (an error the server gave: its connection kept, the pool
     * may lend it again, so it is never killed): nothing of it can land later. Closed by the driver (the socket
     * timeout, the connection lost), the server's session may be inside its COMMIT: it is killed from a fresh
     * connection and awaited until the process list no longer has it, at most that connection's network timeout (its
     * {@code socketTimeout}: as long as one of our statements may take on it before it is cut). False when it is still
     * there then; throws when the database cannot be asked.
     */
    private boolean ended(JdbcConnection connection, long id) {
        try {
            if (!connection.isClosed()) {
                return true;
            }
        } catch (SQLException e) {
            // ends it for certain below
        }
        try (Connection fresh = dataSource.getConnection()) {
            kill(fresh, id);
            int bound = fresh.getNetworkTimeout();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bound > 0 ? bound : DEFAULT_BOUND_MS);
            try (PreparedStatement present =
                    fresh.prepareStatement("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?")) {
                present.setLong(1, id);
                while (true) {
                    try (ResultSet row = present.executeQuery()) {
                        if (row.next() && row.getLong(1) == 0) {
                            return true;
                        }
                    }
                    if (System.nanoTime() - deadline > 0) {
                        return false;
                    }
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot end the session of a failed commit: " + e, e);
        }
    }

    private static void kill(Connection connection, long id) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("KILL CONNECTION " + id);
        } catch (SQLException e) {
            if (e.getErrorCode() != NO_SUCH_THREAD) {
                throw e;
            }
        }
    }
}
