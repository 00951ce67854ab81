package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A test's own transaction on a connection of its own, taking row locks one at a time so a lock wait or a deadlock
 * with the application's write is built step by step; rolled back on close.
 */
public final class RowLockHolder implements AutoCloseable {

    private static final String WEIGHT = "deadlock_weight";

    private final Connection connection;
    private final JdbcTemplate jdbc;
    private boolean weighted;

    private RowLockHolder(Connection connection, JdbcTemplate jdbc) {
        this.connection = connection;
        this.jdbc = jdbc;
    }

    public static RowLockHolder open(DataSource dataSource, JdbcTemplate jdbc) throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return new RowLockHolder(connection, jdbc);
    }

    /**
     * Writes 200 undo entries first: InnoDB rolls back the lighter transaction of a deadlock, and the application's
     * write must be the one it picks.
     */
    public RowLockHolder heavy() throws SQLException {
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + WEIGHT + " (id INT PRIMARY KEY) ENGINE=InnoDB");
        weighted = true;
        try (Statement weight = connection.createStatement()) {
            weight.executeUpdate("INSERT INTO " + WEIGHT + " SELECT seq FROM seq_1_to_200");
        }
        return this;
    }

    /** Runs a locking read ({@code ... FOR UPDATE}); it waits while another transaction holds what it asks for. */
    public void lock(String lockingRead, Object... parameters) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(lockingRead)) {
            for (int i = 0; i < parameters.length; i++) {
                read.setObject(i + 1, parameters[i]);
            }
            read.executeQuery().close();
        }
    }

    /** Until another transaction waits for a lock this one holds (seen in information_schema, not guessed by time). */
    public void awaitWaiter() throws SQLException, InterruptedException {
        String trx = trxId(connection);
        for (int i = 0; i < 300; i++) {
            List<String> waiting = jdbc.queryForList(
                    "SELECT requesting_trx_id FROM information_schema.INNODB_LOCK_WAITS WHERE blocking_trx_id = ?",
                    String.class,
                    trx);
            if (!waiting.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nobody waited for transaction " + trx);
    }

    public void rollback() throws SQLException {
        connection.rollback();
    }

    /**
     * InnoDB serves information_schema's transaction tables from a cache it refreshes at most every 100 ms, so a
     * transaction that began just now can be missing from one read: ask again for up to 5 s before concluding. The
     * connection must already have taken a lock or written a row.
     */
    public static String trxId(Connection connection) throws SQLException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            try (PreparedStatement q = connection.prepareStatement(
                            "SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()");
                    ResultSet row = q.executeQuery()) {
                if (row.next()) {
                    return row.getString(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the holder has no transaction yet: take a lock first");
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
            if (weighted) {
                jdbc.execute("DROP TABLE IF EXISTS " + WEIGHT);
            }
        }
    }
}
