package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction isolation level our SQL is written for, as {@link SessionSqlMode} is its mode: REPEATABLE READ,
 * MariaDB's default, on every pooled session. A session took the server's level, which is the operator's (a server
 * run with {@code transaction-isolation = READ-COMMITTED}, the pool's {@code transaction-isolation}, a {@code
 * tx_isolation} in {@code DB_SESSION_VARIABLES}). What hangs on it: a locking read locks the gaps it passes, so a row
 * it did not find cannot appear until it commits. A team's expiry locks the team's live members through idx_team and
 * then the team's row, and fails the team closing the members it read; under READ COMMITTED a lock joining the team in
 * between (its lock instant before the team's end) wrote its member unseen, and the expiry failed the team without
 * it: that order stayed LOCKED in a failed team, with no refund callback (SessionIsolationIT shows the read no longer
 * keeping the member out). Under REPEATABLE READ the join waits, or one of the two is a deadlock's victim and is
 * written again. Also: the transaction's plain reads see one snapshot (SettlementBatchWriter reads after its last
 * payment for that), SERIALIZABLE makes them shared locks (deadlocks with the writes), READ UNCOMMITTED reads rows
 * another transaction may roll back. The transactions that want READ COMMITTED (a refund's or close's, the outbox
 * claim's and retention's) ask for it and keep it: Spring sets it for the transaction and restores the pool's after.
 *
 * <p>The pool sets the level ({@code transactionIsolation}) on every new connection, after the driver's session
 * variables, from which any level is dropped; an operator's other level there or in the pool's own property is
 * overridden with a warning. A {@code connection-init-sql} runs after that, so a start reads a pooled session's level
 * back and refuses any other ({@link #verify}).
 */
public final class SessionIsolation {

    /** Hikari's name of the level (a {@link Connection} constant's name). */
    static final String LEVEL = "TRANSACTION_REPEATABLE_READ";

    /** The server's name of the level ({@code @@SESSION.tx_isolation}, MySQL 8's {@code transaction_isolation}). */
    static final String SERVER_LEVEL = "REPEATABLE-READ";

    /** The server's names of the session's level: MariaDB 10.11's, and MySQL 8's (and MariaDB 11's). */
    private static final Set<String> ISOLATION_VARIABLES = Set.of("tx_isolation", "transaction_isolation");

    private static final Logger log = LoggerFactory.getLogger(SessionIsolation.class);

    private SessionIsolation() {}

    /**
     * Pins the pool's level, and drops any level from its session variables (the pool sets its own); warns of an
     * operator's other level there or in the pool's property.
     */
    static void apply(HikariDataSource pool) {
        if (!StatementBound.isMySqlFamily(pool.getJdbcUrl())) {
            return;
        }
        String theirs = pool.getTransactionIsolation();
        if (theirs != null && !sameLevel(theirs)) {
            log.warn(
                    "spring.datasource.hikari.transaction-isolation={}: overridden with {}, the level the service's"
                            + " SQL is written for (docs/operations.md)",
                    theirs,
                    LEVEL);
        }
        String variables =
                StatementBound.setting(pool.getDataSourceProperties(), pool.getJdbcUrl(), "sessionVariables");
        Map<String, String> session = StatementBound.variables(variables == null ? "" : variables);
        // Dropped rather than left to the pool's SET: with useLocalSessionState the driver may believe the server's
        // level, and the pool then skips its SET.
        boolean dropped = session.entrySet().removeIf(variable -> {
            if (!ISOLATION_VARIABLES.contains(variable.getKey())) {
                return false;
            }
            if (!sameLevel(StatementBound.unquoted(variable.getValue()))) {
                log.warn(
                        "{} sets {}={}: dropped, the pool sets {}, the level the service's SQL is written for"
                                + " (docs/operations.md)",
                        StatementBound.SESSION_VARIABLES,
                        variable.getKey(),
                        variable.getValue(),
                        SERVER_LEVEL);
            }
            return true;
        });
        if (dropped) {
            StatementBound.replaceSetting(
                    pool.getDataSourceProperties(),
                    "sessionVariables",
                    session.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        pool.setTransactionIsolation(LEVEL);
    }

    /** Refuses (IllegalStateException) a session whose level is not REPEATABLE READ. */
    static void verify(Connection connection) throws SQLException {
        String level = null;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW SESSION VARIABLES WHERE Variable_name IN"
                        + " ('tx_isolation', 'transaction_isolation')")) {
            while (rs.next() && level == null) {
                level = rs.getString(2);
            }
        }
        if (level == null || !sameLevel(level)) {
            throw new IllegalStateException("refusing to start: a pooled database session runs at transaction"
                    + " isolation " + level + ", not " + SERVER_LEVEL + ", the level the service's SQL is written for"
                    + " (its locking reads lock the gaps they pass, its transactions read one snapshot); the pool sets"
                    + " it on every connection: do not set the isolation level in"
                    + " spring.datasource.hikari.connection-init-sql (docs/operations.md)");
        }
    }

    /** Hikari's, JDBC's or the server's spelling of REPEATABLE READ. */
    static boolean sameLevel(String level) {
        String l = level.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return l.equals("REPEATABLE_READ")
                || l.equals(LEVEL)
                || l.equals(String.valueOf(Connection.TRANSACTION_REPEATABLE_READ));
    }
}
