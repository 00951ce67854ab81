package com.groupbuy.market.config.outage;

import com.groupbuy.market.types.exception.Causes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server's connection limits: {@code max_connections} (all clients; refused with 1040, "Too many
 * connections"), {@code max_user_connections} (each account; 1203) and an account's own {@code MAX_USER_CONNECTIONS}
 * (1226). Met while the service runs, a request's pool cannot open a connection and the request is answered E0401
 * (Hikari's timeout, the database breaker), nothing written (staged, docs/operations.md). Met at a start, the start
 * names the limit ({@link DatabaseConnectionLimitAnalyzer}); a pool that may open more connections than a limit allows
 * is warned of at start ({@link #verify}), not refused: other instances and tools share the server, so only the
 * operator can size it (instances × maximum-pool-size + tools).
 */
final class ConnectionLimits {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

    /**
     * The account's limit (the session value is the account's own {@code MAX_USER_CONNECTIONS} when it has one, else
     * the server's; 0: none) and the server's.
     */
    static final String LIMITS = "SELECT @@SESSION.max_user_connections, @@GLOBAL.max_connections";

    private ConnectionLimits() {}

    /** The limit a connection refusal anywhere in {@code failure}'s chain met ("error 1040: …"), else null. */
    static String metBy(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof SQLException sql) {
                String limit = switch (sql.getErrorCode()) {
                    case 1040 -> "the server's max_connections reached";
                    case 1203 -> "the server's max_user_connections reached by the service's account";
                    case 1226 -> "the account's own MAX_USER_CONNECTIONS reached";
                    default -> null;
                };
                if (limit != null) {
                    return sql.getMessage() + " (error " + sql.getErrorCode() + ": " + limit + ")";
                }
            }
        }
        return null;
    }

    /** Warns when the pool may open more connections than the account's or the server's limit allows. */
    static void verify(Connection connection, int maximumPoolSize) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(LIMITS)) {
            rs.next();
            String beyond = beyond(maximumPoolSize, rs.getLong(1), rs.getLong(2));
            if (beyond != null) {
                log.warn(
                        "{}: under load the pool asks for connections the server refuses, and those requests are"
                                + " answered E0401; size the limit to at least instances × maximum-pool-size + tools,"
                                + " or lower DB_POOL_SIZE (docs/operations.md)",
                        beyond);
            }
        }
    }

    /** What {@code maximumPoolSize} exceeds ("…=12 is above the max_user_connections=8 …"), else null (0: none). */
    static String beyond(int maximumPoolSize, long accountLimit, long serverLimit) {
        List<String> limits = new ArrayList<>();
        if (accountLimit > 0 && maximumPoolSize > accountLimit) {
            limits.add("the max_user_connections=" + accountLimit + " the database allows the service's account");
        }
        if (serverLimit > 0 && maximumPoolSize > serverLimit) {
            limits.add("the max_connections=" + serverLimit + " the database server allows in all");
        }
        return limits.isEmpty()
                ? null
                : "spring.datasource.hikari.maximum-pool-size=" + maximumPoolSize + " is above "
                        + String.join(" and ", limits);
    }
}
