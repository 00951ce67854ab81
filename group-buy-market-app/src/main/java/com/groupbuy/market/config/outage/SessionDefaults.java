package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server settings a DBA's my.cnf (or a {@code SET GLOBAL}) hands every new session, which change what our statements
 * do, as {@link SessionSqlMode} is the mode (SessionDefaultsIT stages each on a private server):
 * <ul>
 *   <li>{@code sql_select_limit}: every top-level SELECT without a LIMIT of its own was cut to it, silently: a team's
 *       members, a team's pending callbacks, and a team expiry's locking read of the live members alike (so it
 *       decided on and closed only the first few).
 *   <li>{@code max_join_size} (with {@code sql_big_selects} off): a read the optimizer expects to examine more rows
 *       was refused (1104): the console's page of import jobs (joined to their tags) once there were more jobs.
 *   <li>{@code sql_safe_updates=1}: an UPDATE or DELETE whose plan uses no key was refused (1175): the outbox's page
 *       finish ({@code finishAll}, joined to its JSON page), so a delivered page was never recorded.
 *   <li>{@code completion_type=2} (RELEASE): the server dropped the connection after every COMMIT, so the statement
 *       the pool, Spring or Flyway sent next on it failed (the migrations failed at their first commit); {@code 1}
 *       (CHAIN) opens a transaction after each COMMIT at the committed transaction's level.
 * </ul>
 * A session may set each without privilege, so the pool sets ours ({@link #PINNED}) in its {@code sessionVariables},
 * before {@link SessionSqlMode}'s entry (an operator's own value of one of them is overridden, with a warning), and
 * Flyway's connection sets them too ({@link #ASSIGNMENTS}: it commits, and reads its history table with a plain
 * SELECT), and unbounds its statements ({@link #FLYWAY_UNBOUNDED}). A start reads them back from a pooled session
 * ({@link #verify}: a {@code connection-init-sql} runs after the driver).
 * <p>
 * One setting no session can change without SUPER or BINLOG ADMIN: {@code binlog_format}. With the binary log on
 * and {@code binlog_format=STATEMENT}, InnoDB refuses every write and locking read of a READ COMMITTED transaction
 * (error 1665): every refund (a team's expiry, the close check), the outbox's claim (no callback was delivered any
 * more) and retention. So a start on such a server is refused, naming the setting ({@link #verifyBinlog}); MIXED and
 * ROW serve every flow (a statement unsafe for statement logging is logged as rows there).
 * <p>
 * And a server whose sessions start read-only ({@code transaction_read_only}, MariaDB 10.11's {@code tx_read_only}, set
 * globally): every write was refused (1792), so every lock, settlement and refund was answered E0401 and each refusal
 * retired the pool ({@link StaleWriterEviction}) for new connections as read-only as the old, while the health check,
 * which reads {@code @@global.read_only}, said the database took writes. The variable's name differs between the
 * servers (MariaDB 10.11 knows only {@code tx_read_only}, MySQL 8 only {@code transaction_read_only}) and a session
 * variable the server does not know fails every connection, so it is not pinned: a start reads it back and refuses a
 * read-only session, naming it ({@link #verifyWritable}; SessionDefaultsMoreIT).
 * <p>
 * MariaDB kills a session idle inside a transaction past {@code idle_transaction_timeout} (or {@code
 * idle_readonly_transaction_timeout}; {@code idle_write_transaction_timeout} only once the transaction wrote: a locking
 * read is not a write). A team's place look holds its row lock (a read-only transaction) across a Redis call, so a
 * short guard there loses the look; a start warns of one shorter than {@link #IDLE_FLOOR_SECONDS}
 * ({@link #idleTimeoutsTooShort}).
 */
public final class SessionDefaults {

    /** The largest value of {@code sql_select_limit} and {@code max_join_size}: no limit (MariaDB and MySQL). */
    static final String UNLIMITED = "18446744073709551615";

    /** What each session sets, in this order ({@code max_join_size} at its most turns {@code sql_big_selects} on). */
    static final Map<String, String> PINNED = pinned();

    /** The pins as one SET's assignments, as the driver sends them. */
    public static final String ASSIGNMENTS =
            PINNED.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));

    /**
     * What Flyway's connection adds after the pins: no statement time bound, on MariaDB only (an executable comment,
     * which MySQL reads as a comment; its {@code max_execution_time} bounds SELECTs only). A server's global {@code
     * max_statement_time} (a DBA's guard against runaway queries) was every session's, Flyway's too, and interrupted a
     * migration that ran longer (1969: V13's rewrite of every live take, in one UPDATE), so the start failed.
     */
    public static final String FLYWAY_UNBOUNDED = " /*M!100101 , max_statement_time = 0 */";

    private static final Map<String, Set<String>> SAME = Map.of(
            "sql_select_limit", Set.of(UNLIMITED),
            "max_join_size", Set.of(UNLIMITED),
            "sql_big_selects", Set.of("1", "ON", "TRUE"),
            "sql_safe_updates", Set.of("0", "OFF", "FALSE"),
            "completion_type", Set.of("0", "NO_CHAIN"));

    /** The session's access mode under either server's name (MariaDB 10.11, MySQL 8; MariaDB 11.1 knows both). */
    static final String ACCESS_MODE =
            "SHOW SESSION VARIABLES WHERE Variable_name IN ('tx_read_only', 'transaction_read_only')";

    private static final Set<String> ON = Set.of("1", "ON", "TRUE");

    private static final Logger log = LoggerFactory.getLogger(SessionDefaults.class);

    private SessionDefaults() {}

    private static Map<String, String> pinned() {
        Map<String, String> pinned = new LinkedHashMap<>();
        pinned.put("sql_select_limit", UNLIMITED);
        pinned.put("max_join_size", UNLIMITED);
        pinned.put("sql_big_selects", "1");
        pinned.put("sql_safe_updates", "0");
        pinned.put("completion_type", "0");
        return pinned;
    }

    /** The pool's {@code sessionVariables} (the property, else the URL's) with ours after them. */
    static void apply(HikariDataSource pool) {
        if (!StatementBound.isMySqlFamily(pool.getJdbcUrl())) {
            return;
        }
        Properties properties = pool.getDataSourceProperties();
        String current = StatementBound.setting(properties, pool.getJdbcUrl(), "sessionVariables");
        Map<String, String> theirs = StatementBound.variables(current == null ? "" : current);
        PINNED.keySet().forEach(name -> {
            String value = theirs.get(name);
            if (value != null && !same(name, StatementBound.unquoted(value))) {
                log.warn(
                        "{} sets {}={}: overridden with {}={}, the setting the service's SQL is written for"
                                + " (docs/operations.md)",
                        StatementBound.SESSION_VARIABLES,
                        name,
                        value,
                        name,
                        PINNED.get(name));
            }
        });
        StatementBound.appendSessionVariables(properties, current, ASSIGNMENTS);
    }

    /** Refuses (IllegalStateException) a session that runs with other values, or a server logging statements. */
    static void verify(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.sql_select_limit, @@SESSION.max_join_size,"
                        + " @@SESSION.sql_big_selects, @@SESSION.sql_safe_updates, @@SESSION.completion_type,"
                        + " @@GLOBAL.log_bin, @@SESSION.binlog_format")) {
            rs.next();
            Map<String, String> session = new LinkedHashMap<>();
            int column = 1;
            for (String name : PINNED.keySet()) {
                session.put(name, rs.getString(column++));
            }
            verifyPinned(session);
            verifyBinlog(rs.getString(6), rs.getString(7));
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(ACCESS_MODE)) {
            verifyWritable(rs.next() ? rs.getString(2) : null);
        }
        Map<String, String> idle = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(IDLE_TIMEOUTS)) {
            while (rs.next()) {
                idle.put(rs.getString(1), rs.getString(2));
            }
        }
        String tooShort = idleTimeoutsTooShort(idle);
        if (tooShort != null) {
            log.warn(
                    "a pooled database session is killed when idle inside a transaction longer than {}: a team's place"
                            + " look (a refused join's, the reconciler's) holds its row lock across a Redis call, and a"
                            + " slow Redis there loses the session, the lock and the look (skipped, its Redis correction"
                            + " made without the lock until a later sweep); set them 0 or at least {} s"
                            + " (docs/operations.md)",
                    tooShort,
                    IDLE_FLOOR_SECONDS);
        }
    }

    /**
     * MariaDB's guards against a session left idle inside a transaction ({@code idle_transaction_timeout}, {@code
     * idle_readonly_transaction_timeout}, {@code idle_write_transaction_timeout}, seconds, 0 off; MySQL has none).
     */
    static final String IDLE_TIMEOUTS = "SHOW SESSION VARIABLES WHERE Variable_name IN ('idle_transaction_timeout',"
            + " 'idle_readonly_transaction_timeout', 'idle_write_transaction_timeout')";

    /** Shorter than this (and not 0) is warned of: a Redis call held inside a transaction may take that long. */
    static final int IDLE_FLOOR_SECONDS = 60;

    /** The idle-in-transaction guards set shorter than {@link #IDLE_FLOOR_SECONDS} ("name=value, ..."), else null. */
    static String idleTimeoutsTooShort(Map<String, String> idle) {
        String named = idle.entrySet().stream()
                .filter(e -> {
                    try {
                        long seconds = Long.parseLong(e.getValue().trim());
                        return seconds > 0 && seconds < IDLE_FLOOR_SECONDS;
                    } catch (NumberFormatException | NullPointerException ex) {
                        return false;
                    }
                })
                .map(e -> e.getKey() + "=" + e.getValue().trim() + " s")
                .collect(Collectors.joining(", "));
        return named.isEmpty() ? null : named;
    }

    /**
     * Refuses (IllegalStateException) a session that starts read-only ({@code tx_read_only} or {@code
     * transaction_read_only} ON, or 1): the server's default for every session, as a {@code SET GLOBAL} leaves it.
     */
    static void verifyWritable(String readOnly) {
        if (on(readOnly)) {
            throw new IllegalStateException("refusing to start: a pooled database session is read-only"
                    + " (tx_read_only=" + readOnly + ", the server's transaction_read_only for every session), so"
                    + " every write is refused (error 1792: every lock, settlement and refund answered E0401) while"
                    + " the server's read_only is off: set transaction_read_only=OFF in the server's configuration, or"
                    + " add tx_read_only=0 (MySQL 8: transaction_read_only=0) to DB_SESSION_VARIABLES"
                    + " (docs/operations.md)");
        }
    }

    /** A boolean variable's value is on (1, ON or TRUE, as either server shows it). */
    static boolean on(String value) {
        return value != null && ON.contains(value.trim().toUpperCase(Locale.ROOT));
    }

    static void verifyPinned(Map<String, String> session) {
        Map<String, String> other = new LinkedHashMap<>();
        session.forEach((name, value) -> {
            if (value == null || !same(name, value)) {
                other.put(name, value);
            }
        });
        if (!other.isEmpty()) {
            throw new IllegalStateException("refusing to start: a pooled database session runs with "
                    + other.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", "))
                    + ", not " + ASSIGNMENTS + " (reads cut short or refused, writes refused or connections dropped"
                    + " after a commit); the pool sets them in its sessionVariables: do not set them in"
                    + " spring.datasource.hikari.connection-init-sql (docs/operations.md)");
        }
    }

    /**
     * Refuses (IllegalStateException) a binary log in STATEMENT format ({@code @@log_bin} on; its value 1 or ON):
     * InnoDB then refuses every write of a READ COMMITTED transaction.
     */
    static void verifyBinlog(String logBin, String binlogFormat) {
        boolean logging = on(logBin);
        if (logging && binlogFormat != null && "STATEMENT".equalsIgnoreCase(binlogFormat.trim())) {
            throw new IllegalStateException("refusing to start: the database's binary log is on with"
                    + " binlog_format=STATEMENT, under which InnoDB refuses every write of a READ COMMITTED transaction"
                    + " (error 1665: a refund, a team's close, the callbacks' claim, retention), and a session cannot"
                    + " change the format without SUPER or BINLOG ADMIN: set binlog_format=MIXED or ROW in the"
                    + " server's configuration (docs/operations.md)");
        }
    }

    static boolean same(String name, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (SAME.get(name).contains(v)) {
            return true;
        }
        if (UNLIMITED.equals(PINNED.get(name))) {
            try {
                return new BigInteger(v).compareTo(new BigInteger(UNLIMITED)) >= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }
}
