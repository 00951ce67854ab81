package com.groupbuy.market.config.outage;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import lombok.extern.slf4j.Slf4j;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Spring Boot's transaction manager, except that the rollback of a transaction whose connection is closed already is
 * no failure: the transaction ended with its connection (no COMMIT can follow on it; the server rolls it back when the
 * session ends), so the exception that failed the transaction is the one thrown. Before, a statement cut by the JDBC
 * {@code socketTimeout} or by a lost database (Hikari closes a connection that raised SQLState 08) was followed by a
 * rollback on the closed connection, whose {@code TransactionSystemException} ("JDBC rollback failed" ← "Connection is
 * closed", no SQLState) Spring throws in place of the transaction's own: the outage was hidden from everything that
 * reads the cause chain (the E0401 answer, the settlement batch's fallback, the lock's place give-back) and the request
 * was answered HTTP 500 {@code 0001} (SocketTimeoutCutIT; DatabaseRestartIT's storm once in CI).
 */
@Slf4j
public class CutConnectionTransactionManager extends JdbcTransactionManager {

    private static final long serialVersionUID = 1L;

    public CutConnectionTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        try {
            super.doRollback(status);
        } catch (RuntimeException e) {
            if (!closed(status)) {
                throw e;
            }
            log.debug("rollback on a closed connection: the transaction ended with it ({})", e.toString());
        }
    }

    private static boolean closed(DefaultTransactionStatus status) {
        if (!(status.getTransaction() instanceof JdbcTransactionObjectSupport transaction)
                || !transaction.hasConnectionHolder()) {
            return false;
        }
        Connection connection = transaction.getConnectionHolder().getConnection();
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }
}
