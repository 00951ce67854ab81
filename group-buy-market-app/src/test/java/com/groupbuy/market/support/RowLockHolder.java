package com.groupbuy.market.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A test's own transaction on a connection of its own, taking row locks one at a time so a lock wait or a deadlock
 * with the application's write is built step by step; rolled back on close.
 */
public final class RowLockHolder implements AutoCloseable {

    private static final String WEIGHT = "deadlock_weight";
    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+`?(\\w+)`?");
    private static final Pattern INTO = Pattern.compile("(?i)\\bINTO\\s+`?(\\w+)`?");

    private final DataSource dataSource;
    private final Connection connection;
    private final JdbcTemplate jdbc;
    private final Map<String, Set<Long>> held = new LinkedHashMap<>();
    private long threadId = -1;
    private boolean weighted;

    private RowLockHolder(DataSource dataSource, Connection connection, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.connection = connection;
        this.jdbc = jdbc;
    }

    public static RowLockHolder open(DataSource dataSource, JdbcTemplate jdbc) throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return new RowLockHolder(dataSource, connection, jdbc);
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

    /**
     * Runs a locking read ({@code SELECT id FROM table ... FOR UPDATE}, the primary key first); it waits while another
     * transaction holds what it asks for. The rows it returns are those {@link #awaitWaiter} looks for a waiter on.
     */
    public void lock(String lockingRead, Object... parameters) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(lockingRead)) {
            for (int i = 0; i < parameters.length; i++) {
                read.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = read.executeQuery()) {
                Matcher table = FROM.matcher(lockingRead);
                if (!table.find()) {
                    throw new IllegalArgumentException("no table in " + lockingRead);
                }
                while (rows.next()) {
                    held.computeIfAbsent(table.group(1), t -> new TreeSet<>()).add(rows.getLong(1));
                }
            }
        }
    }

    /**
     * Inserts one row ({@code INSERT INTO table ...}, an auto-increment key) and holds it: whoever writes the same
     * unique key waits for this transaction. The row is one {@link #awaitWaiter} looks for a waiter on.
     */
    public void insert(String insert, Object... parameters) throws SQLException {
        Matcher table = INTO.matcher(insert);
        if (!table.find()) {
            throw new IllegalArgumentException("no table in " + insert);
        }
        try (PreparedStatement write = connection.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < parameters.length; i++) {
                write.setObject(i + 1, parameters[i]);
            }
            write.executeUpdate();
            try (ResultSet keys = write.getGeneratedKeys()) {
                while (keys.next()) {
                    held.computeIfAbsent(table.group(1), t -> new TreeSet<>()).add(keys.getLong(1));
                }
            }
        }
    }

    /**
     * Until another transaction waits for a row this one locked (told live by SHOW ENGINE INNODB STATUS, not guessed by
     * time).
     */
    public void awaitWaiter() throws SQLException, InterruptedException {
        awaitWaiter(null, null);
    }

    /**
     * Until another transaction waits for a row this one locked, that of {@code task} (running on {@code thread}, when
     * known): fails at once when the task ends first (with what it returned or threw), and after 30 s with the lock
     * each transaction of this database waited for, what each was doing, and the task's stack.
     *
     * <p>Told live by {@link InnodbLockWaits} (a waiting transaction's lock is on a row whose primary key this one
     * locked), not by information_schema's INNODB_LOCK_WAITS, which InnoDB serves from a cache it refreshes only when
     * nobody on the whole server has read it for 100 ms: with one session polling it beside the test, it stayed stale.
     */
    public void awaitWaiter(Future<?> task, Thread thread) throws SQLException, InterruptedException {
        if (held.isEmpty()) {
            throw new AssertionError("the holder holds no row: take a lock first");
        }
        for (int i = 0; i < 300; i++) {
            for (var rows : held.entrySet()) {
                if (!InnodbLockWaits.waitingFor(jdbc, thread(), rows.getKey(), rows.getValue())
                        .isEmpty()) {
                    return;
                }
            }
            if (task != null && task.isDone()) {
                throw new AssertionError("the task ended before it waited for the holder (thread " + thread()
                        + ", rows " + held + "): " + outcome(task) + "\n" + state());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nobody waited for the holder (thread " + thread() + ", rows " + held + ") in 30 s"
                + (task == null ? "" : "; the task " + outcome(task))
                + "\n" + state()
                + (thread == null ? "" : "\nthe task's thread " + stack(thread)));
    }

    /**
     * The connections (their CONNECTION_ID()) other than this one that waited for a lock on a table of this database
     * while any of {@code tasks} ran, read live by {@link InnodbLockWaits} every 50 ms until every task ended (60 s at
     * most): how many writes of the application waited, for the rows held here or for rows one of them still holds
     * (a statement whose connection was cut goes on waiting on the server, holding what it locked), whatever each wait
     * took. A wait ended by a socket timeout or a statement bound lasts seconds, so none is missed between two reads.
     */
    public Set<Long> waitersWhile(Future<?>... tasks) throws SQLException, InterruptedException {
        if (held.isEmpty()) {
            throw new AssertionError("the holder holds no row: take a lock first");
        }
        Set<Long> waiters = new TreeSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            boolean done = Arrays.stream(tasks).allMatch(Future::isDone); // read before the waits: none is missed
            long holder = thread();
            InnodbLockWaits.ofThisDatabase(jdbc).stream()
                    .filter(wait -> wait.thread() != holder)
                    .forEach(wait -> waiters.add(wait.thread()));
            if (done) {
                return waiters;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tasks did not end in 60 s; waiters so far " + waiters + "\n" + state());
            }
            Thread.sleep(50);
        }
    }

    /** The holder's CONNECTION_ID(), the thread id SHOW ENGINE INNODB STATUS names it by. */
    private long thread() throws SQLException {
        if (threadId < 0) {
            try (Statement query = connection.createStatement();
                    ResultSet row = query.executeQuery("SELECT CONNECTION_ID()")) {
                row.next();
                threadId = row.getLong(1);
            }
        }
        return threadId;
    }

    /**
     * Until a transaction other than this one holds the row that {@code lockingRead} ({@code ... FOR UPDATE}) finds:
     * the read, with {@code NOWAIT}, on a connection of its own, refused at once while the row is held (a read that gets
     * the row gives it back at once, and asks again 50 ms later). Told by the database itself, live: not through
     * information_schema's lock tables, which InnoDB serves from a cache it refreshes
     * only when nobody on the whole server has read them for 100 ms, so another session polling them (another test on
     * the same server) can keep them stale for as long as it polls. Fails at once when {@code task} ends first.
     */
    public void awaitHeldElsewhere(String lockingRead, Future<?> task, Thread thread, Object... parameters)
            throws SQLException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (heldElsewhere(lockingRead, parameters)) {
                return;
            }
            if (task != null && task.isDone()) {
                throw new AssertionError("the task ended before it held the row of " + lockingRead + ": "
                        + outcome(task) + "\n" + state());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nobody held the row of " + lockingRead + " in 30 s"
                + (task == null ? "" : "; the task " + outcome(task))
                + "\n" + state()
                + (thread == null ? "" : "\nthe task's thread " + stack(thread)));
    }

    private boolean heldElsewhere(String lockingRead, Object... parameters) throws SQLException {
        try (Connection probe = dataSource.getConnection()) {
            probe.setAutoCommit(false);
            try (PreparedStatement read = probe.prepareStatement(lockingRead + " NOWAIT")) {
                for (int i = 0; i < parameters.length; i++) {
                    read.setObject(i + 1, parameters[i]);
                }
                read.executeQuery().close();
                return false;
            } catch (SQLException e) {
                if (e.getErrorCode() == 1205) { // NOWAIT: the row is locked by another transaction
                    return true;
                }
                throw e;
            } finally {
                probe.rollback();
                probe.setAutoCommit(true);
            }
        }
    }

    /** What the task returned or threw, or that it is still running. */
    private static String outcome(Future<?> task) {
        if (!task.isDone()) {
            return "is still running";
        }
        try {
            return "returned " + task.get();
        } catch (ExecutionException e) {
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            return "threw " + trace;
        } catch (InterruptedException | RuntimeException e) {
            return "cannot be read: " + e;
        }
    }

    /**
     * This database's transactions (their statement, state, locks held and the lock each waits for, with the
     * transaction holding it) and its sessions not asleep: what a task waited for when it did not wait for the holder.
     */
    public String state() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("lock waits on this database now (SHOW ENGINE INNODB STATUS):");
            for (var wait : InnodbLockWaits.ofThisDatabase(jdbc)) {
                out.append("\n  ").append(wait);
            }
            out.append("\ntransactions of this database (information_schema, maybe stale):");
            for (var row : jdbc.queryForList("SELECT t.trx_id, t.trx_state, t.trx_mysql_thread_id, t.trx_started, "
                    + "t.trx_wait_started, t.trx_rows_locked, t.trx_weight, t.trx_operation_state, t.trx_query "
                    + "FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p "
                    + "ON p.id = t.trx_mysql_thread_id WHERE p.db = DATABASE()")) {
                out.append("\n  ").append(row);
            }
            out.append(
                    "\nlock waits (information_schema, maybe stale: requested lock, blocking lock, blocking statement):");
            for (var row : jdbc.queryForList("SELECT w.requesting_trx_id, r.lock_mode AS requested_mode, "
                    + "r.lock_type AS requested_type, r.lock_table AS requested_table, "
                    + "r.lock_index AS requested_index, r.lock_data AS requested_data, w.blocking_trx_id, "
                    + "b.lock_mode AS blocking_mode, b.lock_data AS blocking_data, bt.trx_mysql_thread_id "
                    + "AS blocking_thread, bt.trx_query AS blocking_query "
                    + "FROM information_schema.INNODB_LOCK_WAITS w "
                    + "JOIN information_schema.INNODB_LOCKS r ON r.lock_id = w.requested_lock_id "
                    + "JOIN information_schema.INNODB_LOCKS b ON b.lock_id = w.blocking_lock_id "
                    + "LEFT JOIN information_schema.INNODB_TRX bt ON bt.trx_id = w.blocking_trx_id "
                    + "WHERE r.lock_table LIKE CONCAT('`', DATABASE(), '`.%')")) {
                out.append("\n  ").append(row);
            }
            out.append("\nsessions of this database not asleep:");
            for (var row : jdbc.queryForList("SELECT id, command, time_ms, state, info "
                    + "FROM information_schema.PROCESSLIST WHERE db = DATABASE() AND command <> 'Sleep' "
                    + "AND id <> CONNECTION_ID()")) {
                out.append("\n  ").append(row);
            }
        } catch (RuntimeException e) {
            out.append("\n(cannot read: ").append(e).append(')');
        }
        return out.toString();
    }

    /** A thread's state and stack, for a failure message. */
    public static String stack(Thread thread) {
        StringBuilder out = new StringBuilder(thread.getName()).append(' ').append(thread.getState());
        for (StackTraceElement frame : thread.getStackTrace()) {
            out.append("\n    at ").append(frame);
        }
        return out.toString();
    }

    public void rollback() throws SQLException {
        connection.rollback();
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
