package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our SQL means what it says only in one {@code sql_mode}: strict (an over-long value, an out-of-range number or a bad
 * date is an error, never stored truncated, clamped or zeroed), with an UPDATE's assignments read left to right
 * ({@code releasePaidPlace} decides a refunded team's state on the count it has just decremented), {@code "} a string
 * and {@code ||} an OR, and nothing padded, rounded or turned into NULL. A session took the server's default, which
 * is the operator's: MariaDB's {@code SIMULTANEOUS_ASSIGNMENT} left a formed team with no paid member "complete with a
 * refund" instead of failed (SessionSqlModeIT). So every pooled connection sets {@link #MODE} itself, last in the
 * pool's {@code sessionVariables} (a later one wins; an operator's own {@code sql_mode} there is overridden, with a
 * warning): Connector/J sets them before it reads the server's variables, so the driver's own view of the mode (how it
 * quotes and escapes) is the session's. A {@code connection-init-sql} runs after that and could still change the mode
 * behind the driver's back, so a start reads the mode of a pooled session and refuses any other ({@link #verify}).
 * Flyway's own connection sets the same mode ({@link #FLYWAY_INIT_SQL}).
 */
public final class SessionSqlMode {

    /**
     * MariaDB 10.11's default without {@code NO_AUTO_CREATE_USER} (about GRANT only; MySQL 8 has no such mode and
     * refuses to set it): the mode every statement of ours is written and tested for, on MariaDB and MySQL alike.
     */
    public static final String MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    static final String ASSIGNMENT = "sql_mode='" + MODE + "'";

    /** Flyway's connection is not the pool's: the same mode for the migrations. */
    public static final String FLYWAY_INIT_SQL = "SET SESSION " + ASSIGNMENT;

    private static final Logger log = LoggerFactory.getLogger(SessionSqlMode.class);

    private SessionSqlMode() {}

    /** The pool's {@code sessionVariables} (as the driver reads them, the property else the URL's) with our mode last. */
    static void apply(HikariDataSource pool) {
        if (!StatementBound.isMySqlFamily(pool.getJdbcUrl())) {
            return;
        }
        Properties properties = pool.getDataSourceProperties();
        String current = StatementBound.setting(properties, pool.getJdbcUrl(), "sessionVariables");
        String theirs = StatementBound.variables(current == null ? "" : current).get("sql_mode");
        if (theirs != null && !sameModes(StatementBound.unquoted(theirs), MODE)) {
            log.warn(
                    "{} sets sql_mode={}: overridden with sql_mode='{}', the mode the service's SQL is written for",
                    StatementBound.SESSION_VARIABLES,
                    theirs,
                    MODE);
        }
        StatementBound.appendSessionVariables(properties, current, ASSIGNMENT);
    }

    /** Refuses (IllegalStateException) a session whose mode is not {@link #MODE}. */
    static void verify(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.sql_mode")) {
            String mode = rs.next() ? rs.getString(1) : null;
            if (!sameModes(mode == null ? "" : mode, MODE)) {
                throw new IllegalStateException("refusing to start: a pooled database session runs in sql_mode='"
                        + mode + "', not '" + MODE + "', the mode the service's SQL is written for (a lax or odd mode"
                        + " stores values truncated or reads statements otherwise); the pool sets it in its"
                        + " sessionVariables: do not set sql_mode in spring.datasource.hikari.connection-init-sql"
                        + " (docs/operations.md)");
            }
        }
    }

    static boolean sameModes(String a, String b) {
        return modes(a).equals(modes(b));
    }

    private static Set<String> modes(String mode) {
        return Arrays.stream(mode.split(","))
                .map(m -> m.trim().toUpperCase(Locale.ROOT))
                .filter(m -> !m.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
