package com.groupbuy.market.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transactions waiting for a lock now, read live from {@code SHOW ENGINE INNODB STATUS}: a report InnoDB writes
 * when asked, under its lock system's latch. Unlike information_schema's INNODB_TRX, INNODB_LOCKS and
 * INNODB_LOCK_WAITS, which InnoDB serves from a cache it refreshes only when nobody on the whole server has read them
 * for 100 ms (so another session polling them, another test on the same server, keeps them stale for as long as it
 * polls).
 *
 * <p>With {@code innodb_status_output_locks} off (the server's default, a global this project never sets) the report
 * names, for each waiting transaction, its thread (CONNECTION_ID()) and the lock it waits for with the record's fields,
 * but not the locks others hold: who blocks a waiter is told by the record, whose primary key the blocker knows.
 */
public final class InnodbLockWaits {

    private static final Pattern TRX = Pattern.compile("^---TRANSACTION (\\w+),.*");
    private static final Pattern THREAD = Pattern.compile("^(?:MariaDB|MySQL) thread id (\\d+),.*");
    private static final Pattern RECORD_LOCK = Pattern.compile(
            "^RECORD LOCKS space id \\d+ page no \\d+ n bits \\d+ index (\\S+) of table (\\S+) " + "trx id \\w+ (.*)$");
    private static final Pattern TABLE_LOCK = Pattern.compile("^TABLE LOCK table (\\S+) trx id \\w+ (.*)$");
    private static final Pattern FIELD = Pattern.compile("^ *(\\d+): (?:len \\d+; hex (\\w+); asc .*|SQL NULL.*)$");

    private InnodbLockWaits() {}

    /**
     * A transaction waiting for a lock: its thread (the connection's CONNECTION_ID()), the table ({@code `db`.`t`})
     * and index of the lock, its mode, and the record's fields in hex (none for a table lock; null for SQL NULL).
     */
    public record Wait(long thread, String trx, String table, String index, String mode, List<String> fields) {

        /**
         * The record's primary key, read as a BIGINT UNSIGNED (this project's ids): the first field in the primary
         * index, the field after the index's own {@code indexColumns} in a secondary one; null for a table lock.
         */
        Long primaryKey(int indexColumns) {
            int at = "PRIMARY".equals(index) ? 0 : indexColumns;
            if (at >= fields.size() || fields.get(at) == null || fields.get(at).length() != 16) {
                return null;
            }
            return Long.parseUnsignedLong(fields.get(at), 16);
        }

        @Override
        public String toString() {
            return "thread " + thread + " (trx " + trx + ") waits for " + mode + " on " + table
                    + (index == null ? "" : " index " + index + " record " + fields);
        }
    }

    /** Every transaction of the server waiting for a lock now. */
    public static List<Wait> all(JdbcTemplate jdbc) {
        Map<String, Object> row = jdbc.queryForMap("SHOW ENGINE INNODB STATUS");
        return parse(String.valueOf(row.get("Status")));
    }

    /** Those of {@code all} waiting on a table of the database {@code jdbc} uses. */
    public static List<Wait> ofThisDatabase(JdbcTemplate jdbc) {
        String prefix = "`" + jdbc.queryForObject("SELECT DATABASE()", String.class) + "`.";
        return all(jdbc).stream().filter(w -> w.table().startsWith(prefix)).toList();
    }

    /**
     * The waits of transactions other than thread {@code holder}'s for a record of {@code table} (of this database)
     * whose primary key is one of {@code ids}: rows the holder locked FOR UPDATE, so whoever asks for them waits for
     * it. And their waits for a gap of {@code table} (an insert's "insert intention", or a gap lock): the record named
     * is the gap's upper end (often the next row, or "supremum"), not a row the holder read, so a gap's wait is
     * matched by its table alone: the holder's locking read took the gaps next to the rows it found.
     */
    public static List<Wait> waitingFor(JdbcTemplate jdbc, long holder, String table, Collection<Long> ids) {
        String name = "`" + jdbc.queryForObject("SELECT DATABASE()", String.class) + "`.`" + table + "`";
        List<Wait> found = new ArrayList<>();
        for (Wait wait : all(jdbc)) {
            if (wait.thread() == holder || !wait.table().equals(name) || wait.index() == null) {
                continue;
            }
            if (wait.mode().contains("insert intention") || wait.mode().contains("locks gap before rec")) {
                found.add(wait);
                continue;
            }
            int columns = "PRIMARY".equals(wait.index())
                    ? 0
                    : jdbc.queryForObject(
                            "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE table_schema = DATABASE()"
                                    + " AND table_name = ? AND index_name = ?",
                            Integer.class,
                            table,
                            wait.index());
            Long key = wait.primaryKey(columns);
            if (key != null && ids.contains(key)) {
                found.add(wait);
            }
        }
        return found;
    }

    /** The waits in the TRANSACTIONS section of a {@code SHOW ENGINE INNODB STATUS} report. */
    static List<Wait> parse(String status) {
        List<Wait> waits = new ArrayList<>();
        String[] lines = status.split("\n");
        String trx = null;
        long thread = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = TRX.matcher(line)).matches()) {
                trx = m.group(1);
                thread = -1;
            } else if ((m = THREAD.matcher(line)).matches()) {
                thread = Long.parseLong(m.group(1));
            } else if (line.startsWith("------- TRX HAS BEEN WAITING") && i + 1 < lines.length) {
                String lock = lines[++i];
                if ((m = RECORD_LOCK.matcher(lock)).matches()) {
                    List<String> fields = new ArrayList<>();
                    while (i + 1 < lines.length && !lines[i + 1].startsWith("------------------")) {
                        Matcher field = FIELD.matcher(lines[++i]);
                        if (field.matches()) { // placed by its number: a line not understood shifts no other
                            int at = Integer.parseInt(field.group(1));
                            while (fields.size() <= at) {
                                fields.add(null);
                            }
                            fields.set(at, field.group(2));
                        }
                    }
                    waits.add(new Wait(
                            thread, trx, m.group(2), m.group(1), m.group(3), Collections.unmodifiableList(fields)));
                } else if ((m = TABLE_LOCK.matcher(lock)).matches()) {
                    waits.add(new Wait(thread, trx, m.group(1), null, m.group(2), List.of()));
                } else {
                    throw new IllegalStateException("an unknown lock in SHOW ENGINE INNODB STATUS: " + lock);
                }
            }
        }
        return waits;
    }
}
