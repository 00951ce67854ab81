package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A statement the database stopped while it waited wrote nothing and is worth sending again: E0401 ("database"), not
 * 0001; so is a deadlock's victim that still failed after its retries (its transaction was rolled back whole). A
 * plain SQL error stays 0001. Proved to fail on main: each of the three bounds and the deadlock was null (0001).
 */
class DependencyOutageResolverTest {

    @Test
    void aStatementStoppedAtItsBoundIsTheDatabases() {
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock",
                        "UPDATE",
                        new SQLException(
                                "Query execution was interrupted (max_statement_time exceeded)", "70100", 1969))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new CannotAcquireLockException(
                        "lock", new SQLException("Lock wait timeout exceeded", "40001", 1205))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock",
                        "SELECT",
                        new SQLException("maximum statement execution time exceeded", "HY000", 3024))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock", "UPDATE", new SQLException("Deadlock found", "40001", 1213))))
                .isEqualTo("database");
    }

    /** Failed on main: null (0001) for each. */
    @Test
    void aServerThatTakesNoWritesIsTheDatabases() {
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock",
                        "INSERT",
                        new SQLException(
                                "The MariaDB server is running with the --read-only option so it cannot execute this"
                                        + " statement",
                                "HY000",
                                1290))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock", "INSERT", new SQLException("Running in read-only mode", "HY000", 1836))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock",
                        "INSERT",
                        new SQLException("Cannot execute statement in a READ ONLY transaction", "25006", 1792))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "import",
                        "LOAD DATA",
                        new SQLException(
                                "The MariaDB server is running with the --secure-file-priv option so it cannot execute"
                                        + " this statement",
                                "HY000",
                                1290))))
                .as("another option's refusal is not an outage")
                .isNull();
    }

    /** A server out of disk space (DatabaseRestartIT's full disk: 1114). Failed on main: null (0001) for each. */
    @Test
    void aServerOutOfDiskSpaceIsTheDatabases() {
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock", "INSERT", new SQLException("The table 'group_buy_order_list' is full", "HY000", 1114))))
                .isEqualTo("database");
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "settle",
                        "INSERT",
                        new SQLException(
                                "Error writing file '/var/lib/mysql/#sql-temptable-1' (errno: 28 \"No space left on"
                                        + " device\")",
                                "HY000",
                                3))))
                .isEqualTo("database");
    }

    /**
     * A rollback on the connection the outage closed fails too, and Spring throws that failure with the outage kept
     * aside as its application exception (SocketTimeoutCutIT: answered 0001 before).
     */
    @Test
    void aRollbackFailedAfterAnOutageIsTheOutage() {
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        assertThat(DependencyOutageResolver.outage(rollback)).isNull();
        rollback.initApplicationException(
                new RecoverableDataAccessException("update", new SQLException("Communications link failure", "08S01")));
        assertThat(DependencyOutageResolver.outage(rollback)).isEqualTo("database");
    }

    @Test
    void otherSqlFailuresAreNot() {
        assertThat(DependencyOutageResolver.outage(new UncategorizedSQLException(
                        "lock", "UPDATE", new SQLException("Unknown column", "42S22", 1054))))
                .isNull();
    }

    /** A chain that loops back (A caused by B caused by A) is classified, not walked for good. Hung on main. */
    @Test
    void aChainThatLoopsBackIsClassified() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner);

        String dependency =
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DependencyOutageResolver.outage(outer));
        SQLException refused =
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DependencyOutageResolver.refusedWrite(outer));

        assertThat(dependency).isNull();
        assertThat((Object) refused).isNull();
    }
}
