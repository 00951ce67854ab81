package com.groupbuy.market.config.outage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The pool's statement bound must end a row-lock wait before Connector/J's {@code socketTimeout} cuts the connection
 * (docs/operations.md, "Outages of Redis or the database"): the bound is a clean 1969 / 3024 / 1205 (the statement
 * stopped on the server, nothing of it written, E0401), a socket cut closes the connection while the statement may
 * still run, and a payment's auto-committed statement may then commit after its caller was answered E0401. So a start
 * refuses a pool whose {@code sessionVariables} carry no bound, a bound of 0 (unbounded), or a bound less than
 * {@link #MARGIN_MS} below a {@code socketTimeout}, and a pool with no {@code socketTimeout} (a lost database then holds
 * a request for ever). The margin covers what lies between the two clocks: the server starts the bound when the
 * statement arrives and must then be scheduled to stop it and send the error back, while the client's timer runs
 * from its last read; a pause of the JVM or the network of under a second must not let the socket win.
 * <p>
 * MariaDB's bound is {@code max_statement_time} (seconds, fractional allowed). MySQL's {@code max_execution_time}
 * (milliseconds) bounds SELECTs only, so there a write's lock wait is bounded by {@code innodb_lock_wait_timeout}
 * (seconds), which must then be set below the socket timeout as well. Settings are read as the driver reads them: the
 * pool's data source properties first, then the JDBC URL's parameters; in {@code sessionVariables} entries are
 * separated by commas or semicolons and a later one wins.
 */
public final class StatementBound {

    /** How far below the socket timeout the statement bound must end a wait. */
    static final long MARGIN_MS = 1000;

    static final String SESSION_VARIABLES =
            "spring.datasource.hikari.data-source-properties.sessionVariables (DB_SESSION_VARIABLES)";
    static final String SOCKET_TIMEOUT = "spring.datasource.hikari.data-source-properties.socketTimeout";

    private StatementBound() {}

    /** Refuses the pool's settings (IllegalStateException naming them) unless its bound ends a wait before the socket. */
    public static void check(Properties dataSourceProperties, String jdbcUrl) {
        if (!isMySqlFamily(jdbcUrl)) {
            return; // not a database whose bounds these are
        }
        String sessionVariables = setting(dataSourceProperties, jdbcUrl, "sessionVariables");
        String socketTimeout = setting(dataSourceProperties, jdbcUrl, "socketTimeout");
        List<String> problems = problems(sessionVariables, socketTimeout);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
    }

    /**
     * A MySQL or MariaDB URL: the databases whose session variables these are. Connector/J's DNS SRV forms ({@code
     * jdbc:mysql+srv:}, with or without {@code loadbalance:} / {@code replication:}) are the same driver and server.
     */
    static boolean isMySqlFamily(String jdbcUrl) {
        return jdbcUrl != null
                && (jdbcUrl.startsWith("jdbc:mysql:")
                        || jdbcUrl.startsWith("jdbc:mysql+srv:")
                        || jdbcUrl.startsWith("jdbc:mariadb:"));
    }

    static List<String> problems(String sessionVariables, String socketTimeoutSetting) {
        List<String> problems = new ArrayList<>();
        Long socketMs = null;
        if (socketTimeoutSetting == null || socketTimeoutSetting.isBlank()) {
            problems.add(SOCKET_TIMEOUT + " is not set: a lost database would hold a request for ever; set it 1 s or"
                    + " more above the statement bound (12000 with the default max_statement_time=10)");
        } else {
            try {
                socketMs = Long.parseLong(socketTimeoutSetting.trim());
            } catch (NumberFormatException e) {
                problems.add(SOCKET_TIMEOUT + "=" + socketTimeoutSetting + " is not a number of milliseconds");
            }
            if (socketMs != null && socketMs <= 0) {
                problems.add(SOCKET_TIMEOUT + "=" + socketMs + " waits for ever on a lost database; set it 1 s or"
                        + " more above the statement bound (12000 with the default max_statement_time=10)");
                socketMs = null;
            }
        }
        Map<String, String> variables = variables(sessionVariables == null ? "" : sessionVariables);
        String shown = SESSION_VARIABLES + "=" + (sessionVariables == null ? "" : sessionVariables);
        if (variables.containsKey("max_statement_time")) {
            bound(problems, shown, "max_statement_time", variables.get("max_statement_time"), 1000, socketMs);
        } else if (variables.containsKey("max_execution_time")) {
            bound(problems, shown, "max_execution_time", variables.get("max_execution_time"), 1, socketMs);
            if (!variables.containsKey("innodb_lock_wait_timeout")) {
                problems.add(shown + " bounds SELECTs only (MySQL's max_execution_time): a write's lock wait runs to"
                        + " innodb_lock_wait_timeout (50 s by default), past the socket timeout; add"
                        + " innodb_lock_wait_timeout=10");
            } else {
                bound(
                        problems,
                        shown,
                        "innodb_lock_wait_timeout",
                        variables.get("innodb_lock_wait_timeout"),
                        1000,
                        socketMs);
            }
        } else {
            problems.add(shown + " sets no statement bound: a row-lock wait runs to InnoDB's lock wait timeout (50 s"
                    + " by default) and the socket timeout cuts it first; set max_statement_time=10 (MariaDB) or"
                    + " max_execution_time=10000,innodb_lock_wait_timeout=10 (MySQL)");
        }
        return problems;
    }

    private static void bound(
            List<String> problems, String shown, String name, String value, long msPerUnit, Long socketMs) {
        BigDecimal bound;
        try {
            bound = new BigDecimal(unquoted(value));
        } catch (NumberFormatException e) {
            problems.add(shown + ": " + name + "=" + value + " is not a number");
            return;
        }
        if (bound.signum() <= 0) {
            problems.add(shown + ": " + name + "=" + value + " leaves statements unbounded (0 is no bound); set it"
                    + " below the socket timeout (" + name + "=" + wanted(name) + " with socketTimeout=12000)");
            return;
        }
        if (socketMs == null) {
            return;
        }
        BigDecimal boundMs = bound.multiply(BigDecimal.valueOf(msPerUnit));
        if (boundMs.add(BigDecimal.valueOf(MARGIN_MS)).compareTo(BigDecimal.valueOf(socketMs)) > 0) {
            problems.add(shown + ": " + name + "=" + value + " ("
                    + boundMs.stripTrailingZeros().toPlainString()
                    + " ms) does not end a lock wait at least " + MARGIN_MS + " ms before " + SOCKET_TIMEOUT + "="
                    + socketMs + ": the socket would cut the statement first (connection closed, the statement"
                    + " perhaps committed on the server after its E0401); lower the bound or raise socketTimeout to"
                    + " at least " + boundMs.add(BigDecimal.valueOf(MARGIN_MS)).setScale(0, RoundingMode.CEILING)
                    + " ms");
        }
    }

    private static String wanted(String name) {
        return "max_execution_time".equals(name) ? "10000" : "10";
    }

    /** The session variables as the driver sets them: lower-case names, {@code @@session.} dropped, a later one wins. */
    static Map<String, String> variables(String sessionVariables) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : split(sessionVariables)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            for (String prefix : new String[] {"session ", "@@session.", "@@local.", "@@"}) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length()).trim();
                }
            }
            variables.put(name, entry.substring(eq + 1).trim());
        }
        return variables;
    }

    /** Splits on commas and semicolons outside quotes and parentheses, as Connector/J does. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if ((c == ',' || c == ';') && depth == 0) {
                parts.add(part.toString().trim());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString().trim());
        return parts;
    }

    static String unquoted(String value) {
        String v = value.trim();
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1).trim();
        }
        return v;
    }

    /**
     * A driver setting: the pool's data source property (names in any case, as the driver takes them), else the URL's.
     * The same name set twice in different cases is refused: the driver takes either.
     */
    static String setting(Properties properties, String jdbcUrl, String name) {
        Map<String, String> url = urlParameters(jdbcUrl);
        Set<String> values = new LinkedHashSet<>();
        if (properties != null) {
            for (Map.Entry<Object, Object> e : properties.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(name) && e.getValue() != null) {
                    values.add(String.valueOf(e.getValue()));
                }
            }
        }
        if (values.size() > 1) {
            throw new IllegalStateException("refusing to start: spring.datasource.hikari.data-source-properties sets "
                    + name + " twice in different cases " + values + ", and the driver takes either; keep one");
        }
        return values.isEmpty()
                ? url.get(name.toLowerCase(Locale.ROOT))
                : values.iterator().next();
    }

    /**
     * Sets a driver setting as a pool data source property, which the driver takes before the URL's; the same name in
     * another case is removed first (the driver would take either).
     */
    static void replaceSetting(Properties properties, String name, String value) {
        properties.keySet().removeIf(k -> name.equalsIgnoreCase(String.valueOf(k)));
        properties.setProperty(name, value);
    }

    /** The pool's session variables ({@code current}, null when none) with {@code assignments} after them. */
    static void appendSessionVariables(Properties properties, String current, String assignments) {
        replaceSetting(
                properties,
                "sessionVariables",
                current == null || current.isBlank() ? assignments : current + "," + assignments);
    }

    private static Map<String, String> urlParameters(String jdbcUrl) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String pair : jdbcUrl.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                                .toLowerCase(Locale.ROOT),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }
}
