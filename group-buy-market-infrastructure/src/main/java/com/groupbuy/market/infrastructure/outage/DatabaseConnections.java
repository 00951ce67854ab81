package com.groupbuy.market.infrastructure.outage;

import com.groupbuy.market.types.exception.Causes;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A database failure of the connection, not of a statement: no connection to be had (the pool's timeout, the database
 * breaker open), or the one in use lost (closed by the JDBC {@code socketTimeout}, a communications failure, the server
 * gone: SQLState class 08). Answered E0401 with Retry-After, as the outage resolver classifies it (its connection part:
 * {@code DependencyOutageResolver} also answers a statement stopped at its bound and a server refusing writes E0401);
 * a write whose transaction lost its connection before its COMMIT was rolled back with its session, nothing of it
 * written.
 */
public final class DatabaseConnections {

    private DatabaseConnections() {}

    /** Whether {@code t} itself (its causes not looked at) is the failure of a connection. */
    public static boolean isLost(Throwable t) {
        return t instanceof CannotCreateTransactionException
                || t instanceof DataAccessResourceFailureException
                || t instanceof TransientDataAccessResourceException
                || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || (t instanceof SQLException sql
                        && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08"));
    }

    /** Whether {@code e} or any of its causes is the failure of a connection ({@link #isLost}). */
    public static boolean lost(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (isLost(t)) {
                return true;
            }
        }
        return false;
    }
}
