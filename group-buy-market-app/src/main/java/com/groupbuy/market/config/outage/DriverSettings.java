package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connector/J settings that change what our statements mean, as {@link SessionSqlMode} is the server's: the pool
 * sets them as data source properties, which the driver takes before the JDBC URL's, so an operator's other value (in
 * {@code DB_URL} or the pool's properties) is overridden, with a warning.
 * <ul>
 *   <li>{@code useAffectedRows=false}: an UPDATE counts the rows its WHERE matched ("found rows"), whether or not its
 *       SET changed them. Every guarded write is read on that count: a rerun of a crowd-tag import records its done
 *       job done again, and within the same millisecond that changes no column, so with changed rows the newer run
 *       was refused as "abandoned while it ran" and its members neither recorded nor published (DriverSettingsIT).
 *   <li>{@code characterEncoding=UTF-8}, a {@code connectionCollation} of utf8mb4 only, results in UTF-8: ids are
 *       stored and compared as sent. With {@code characterEncoding=latin1} (or {@code Cp1252}, or a latin1
 *       connection collation) the driver wrote every character latin1 lacks as {@code ?}: user "张三" was stored as
 *       "??" and a lookup of "李四" found it. A column is compared with a value in the column's collation (exact,
 *       nopad_bin) whatever the connection's, so a utf8mb4 connection collation of the operator's is kept.
 *   <li>{@code maxRows=0}: every row a statement reads; {@code maxRows=1} cut each result to its first row, a team's
 *       members and a page of callbacks alike, without an error.
 * </ul>
 * A start reads a pooled session's character set back ({@link #verify}): a {@code connection-init-sql} of
 * {@code SET NAMES latin1} runs after the driver's settings and is refused.
 */
public final class DriverSettings {

    private static final Logger log = LoggerFactory.getLogger(DriverSettings.class);

    /** The connection character set every session uses (the server's name). */
    static final String CHARSET = "utf8mb4";

    private static final Set<String> UTF8 = Set.of("utf-8", "utf8", "utf8mb4");

    private DriverSettings() {}

    /** Pins the pool's driver settings (the property, which the driver reads before the URL's parameter). */
    static void apply(HikariDataSource pool) {
        if (!StatementBound.isMySqlFamily(pool.getJdbcUrl())) {
            return;
        }
        Properties properties = pool.getDataSourceProperties();
        String url = pool.getJdbcUrl();
        pin(properties, url, "useAffectedRows", "false", Set.of("false", "no"));
        pin(properties, url, "characterEncoding", "UTF-8", UTF8);
        String collation = StatementBound.setting(properties, url, "connectionCollation");
        if (collation != null
                && !collation.isBlank()
                && !collation.trim().toLowerCase(Locale.ROOT).startsWith(CHARSET + "_")) {
            warn("connectionCollation", collation, "the character set's default (" + CHARSET + ")");
            // Empty: the driver then takes the collation of characterEncoding's character set.
            StatementBound.replaceSetting(properties, "connectionCollation", "");
        }
        String results = StatementBound.setting(properties, url, "characterSetResults");
        if (results != null
                && !results.isBlank()
                && !UTF8.contains(results.trim().toLowerCase(Locale.ROOT))) {
            warn("characterSetResults", results, "UTF-8");
            StatementBound.replaceSetting(properties, "characterSetResults", "UTF-8");
        }
        pin(properties, url, "maxRows", "0", Set.of("0", "-1"));
    }

    /**
     * Refuses (IllegalStateException) a session whose client, connection or results character set is not utf8mb4 (a
     * {@code connection-init-sql} of {@code SET NAMES} runs after the driver's settings).
     */
    static void verify(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.character_set_client,"
                        + " @@SESSION.character_set_connection, @@SESSION.character_set_results")) {
            rs.next();
            for (int i = 1; i <= 3; i++) {
                String charset = rs.getString(i);
                // Results NULL: the columns' own character set, sent as stored.
                if (!CHARSET.equalsIgnoreCase(charset) && !(i == 3 && charset == null)) {
                    throw new IllegalStateException("refusing to start: a pooled database session runs with"
                            + " character_set_client=" + rs.getString(1) + ", character_set_connection="
                            + rs.getString(2) + ", character_set_results=" + rs.getString(3) + ", not " + CHARSET
                            + " (ids would not be stored or read as sent); the pool sets characterEncoding=UTF-8: do"
                            + " not SET NAMES or character_set_* in spring.datasource.hikari.connection-init-sql"
                            + " (docs/operations.md)");
                }
            }
        }
    }

    private static void pin(Properties properties, String url, String name, String value, Set<String> same) {
        String theirs = StatementBound.setting(properties, url, name);
        if (theirs != null && !same.contains(theirs.trim().toLowerCase(Locale.ROOT))) {
            warn(name, theirs, value);
        }
        StatementBound.replaceSetting(properties, name, value);
    }

    private static void warn(String name, String theirs, String ours) {
        log.warn(
                "the database URL or spring.datasource.hikari.data-source-properties sets {}={}: overridden with {},"
                        + " the setting the service's SQL is written for (docs/operations.md)",
                name,
                theirs,
                ours);
    }
}
