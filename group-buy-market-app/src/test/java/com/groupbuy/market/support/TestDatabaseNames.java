package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the databases a test JVM makes on the shared MariaDB after the JVM's pid ({@code gbm_t_<pid>_<hex>} per
 * context, {@code gbm_tpl_<pid>_<hex>} for the template), so that what a JVM killed before its shutdown hooks ran left
 * behind can be told apart from what a running JVM (a second Failsafe fork, another checkout's build) still uses: a
 * database whose pid names no live process is dropped by the next test JVM ({@link #dropOrphans}).
 */
public final class TestDatabaseNames {

    private static final Pattern OURS = Pattern.compile("gbm_(t|tpl)_([0-9]+)_[0-9a-f]+");

    private TestDatabaseNames() {}

    /** A new name of this JVM's: {@code prefix} is {@code t} or {@code tpl}. */
    public static String next(String prefix, int hexDigits) {
        return "gbm_" + prefix + "_" + ProcessHandle.current().pid() + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, hexDigits);
    }

    /** The pid a name of ours carries, or -1 for any other name. */
    static long owner(String database) {
        Matcher matcher = OURS.matcher(database);
        return matcher.matches() ? Long.parseLong(matcher.group(2)) : -1;
    }

    /** Drops every database of ours whose JVM is gone; returns their names. */
    public static List<String> dropOrphans() {
        List<String> dropped = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(
                        IsolatedDatabaseInitializer.SERVER + IsolatedDatabaseInitializer.PARAMS, "root", "");
                Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'gbm\\_t%'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                long pid = owner(name);
                // A pid that is alive may be reused by another program: its databases wait for a later sweep.
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    statement.execute("DROP DATABASE IF EXISTS " + name);
                    dropped.add(name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the databases of test JVMs that are gone", e);
        }
        return dropped;
    }
}
