package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * For tests that count the statements the app sends on a pool of one connection: the database's session counters read
 * on that connection, and questions asked on a connection of their own so they are not counted.
 */
public final class OneConnectionCounts {

    private OneConnectionCounts() {}

    /** The pool's one connection's counters of these names, read on it (every name must be known to the server). */
    public static Map<String, Long> counters(DataSource dataSource, List<String> names) throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SHOW SESSION STATUS WHERE Variable_name IN ('" + String.join("', '", names) + "')")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(names);
        return values;
    }

    /** Whether the team's callback task is delivered, asked by a client of its own (not the counted connection). */
    public static boolean delivered(String database, String teamId) {
        try (Connection outside = DriverManager.getConnection(
                        IsolatedDatabaseInitializer.SERVER + database + IsolatedDatabaseInitializer.PARAMS,
                        "root",
                        "");
                PreparedStatement query =
                        outside.prepareStatement("SELECT notify_status FROM notify_task WHERE team_id = ?")) {
            query.setString(1, teamId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
