package com.groupbuy.market.infrastructure.mybatis;

import com.groupbuy.market.types.exception.Causes;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction that InnoDB chose as a deadlock's victim was rolled back whole: nothing of it is written, so writing it
 * again — its domain decision re-made on the rows as they are now — gives the true answer instead of an error for a
 * transient conflict. Only a deadlock: a lock wait timeout (1205) rolls back only its statement, and a statement
 * interrupted at {@code max_statement_time} (1969) waited its bound already; both are thrown as they came.
 */
@Slf4j
public final class DeadlockVictims {

    /** Tries of a transaction that InnoDB chose as a deadlock's victim before its error is thrown. */
    public static final int TRIES = 3;

    /**
     * Seconds a write may take when its batch waited the statement bound already (its caller has waited that bound): the
     * smallest JDBC query timeout.
     */
    public static final int BRIEF_SECONDS = 1;

    private DeadlockVictims() {}

    /**
     * {@code template}'s settings with a {@link #BRIEF_SECONDS} timeout in all (Spring's transaction timeout, which
     * MyBatis gives each statement as its JDBC query timeout): the transaction of a write {@link #writeBriefly} runs.
     */
    public static TransactionTemplate briefTransaction(TransactionTemplate template) {
        TransactionTemplate brief = new TransactionTemplate(template.getTransactionManager(), template);
        brief.setTimeout(BRIEF_SECONDS);
        return brief;
    }

    /**
     * {@code transaction} (which must begin and end its own database transaction: never one joined to a caller's,
     * whose earlier statements the deadlock rolled back too) run again while it is a deadlock's victim, up to
     * {@link #TRIES} times in all; {@code what} names it in the log.
     */
    public static <T> T writeAgain(Supplier<T> transaction, Supplier<String> what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= TRIES || !isDeadlock(e)) {
                    throw e;
                }
                log.warn("{} deadlock victim, written again (try {})", what.get(), attempt + 1);
            }
        }
    }

    /**
     * MariaDB/MySQL 1213 (SQLSTATE 40001): the whole transaction was rolled back. Not a lock wait timeout (1205), which
     * Connector/J reports under the same SQLSTATE 40001 (its own table, in place of the server's HY000): it waited its
     * whole timeout already, and writing it again would wait up to that long again, per try.
     */
    public static boolean isDeadlock(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof SQLException sql
                    && (sql.getErrorCode() == 1213
                            || (sql.getErrorCode() != 1205 && "40001".equals(sql.getSQLState())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A statement the database gave up on after it waited its bound, mostly for a row lock: MariaDB's {@code
     * max_statement_time} (1969), MySQL's {@code max_execution_time} (3024) or InnoDB's lock wait timeout (1205).
     */
    public static boolean waitedItsBound(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof SQLException sql && isBoundCode(sql)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #waitedItsBound(Throwable)} of one exception, its causes not looked at. */
    public static boolean isBoundCode(SQLException sql) {
        int code = sql.getErrorCode();
        return code == 1969 || code == 3024 || code == 1205;
    }

    /**
     * A write given a short transaction timeout because its batch waited the statement bound (its caller has waited that
     * bound already): written again when a deadlock's victim, like any write; cut short by its timeout, it was rolled
     * back whole and is answered as the database busy (E0401 with Retry-After: nothing written, the request may be
     * sent again).
     */
    public static <T> T writeBriefly(Supplier<T> transaction, Supplier<String> what) {
        try {
            return writeAgain(transaction, what);
        } catch (RuntimeException e) {
            if (!timedOut(e)) {
                throw e;
            }
            throw new DependencyUnavailableException(
                    "database", what.get() + ": its rows still held after its batch waited the statement bound", e);
        }
    }

    /**
     * Stopped by its transaction's timeout (a write given a short bound after its batch waited the statement bound): a
     * statement's JDBC query timeout (Spring's QueryTimeoutException), or the deadline found passed before a statement
     * (Spring's TransactionTimedOutException, which MyBatis wraps).
     */
    public static boolean timedOut(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof QueryTimeoutException
                    || t instanceof TransactionTimedOutException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
