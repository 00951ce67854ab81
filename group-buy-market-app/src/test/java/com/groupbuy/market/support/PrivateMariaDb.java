package com.groupbuy.market.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A mariadbd of the test's own (the shared server on 3306 is never touched): a data folder made by {@code
 * mariadb-install-db} under {@code target/}, a free port, which the test may kill -9, stop, start again on the same
 * data, or turn read-only as a failover leaves an old primary. The service logs in as {@code gbm}, an account with
 * every privilege on its database and none beyond (so {@code read_only} applies to it, as to a production account;
 * root is exempt in MariaDB 10.11); the test administers as root, over TCP with no password.
 */
public final class PrivateMariaDb {

    public static final String USER = "gbm";
    public static final String PASSWORD = "gbm-private";
    private static final String ADMIN = "root";

    private final int port;
    private final Path dir;
    private final String database;
    private final List<String> serverOptions;
    /**
     * The tmpfs the database's folder ({@link #startOnOwnDisk}) or the binary log ({@link #startWithBinlogOnOwnDisk})
     * is mounted on, else null.
     */
    private Path ownDisk;

    /** Options of the own disk's, on every start ({@link #startWithBinlogOnOwnDisk}'s binary log); not a replica's. */
    private List<String> ownDiskOptions = List.of();

    private Process process;

    private PrivateMariaDb(int port, Path dir, String database, List<String> serverOptions) {
        this.port = port;
        this.dir = dir;
        this.database = database;
        this.serverOptions = serverOptions;
    }

    /**
     * A new data folder with {@code database} and the service's account in it, and its server started with {@code
     * serverOptions} added to its command line (a global limit under test, {@code --max-allowed-packet=1M}), on every
     * start of it.
     */
    public static PrivateMariaDb start(String database, String... serverOptions)
            throws IOException, InterruptedException {
        return start(database, null, false, serverOptions);
    }

    /**
     * {@link #start}, with the database's folder (its tables' files: InnoDB's file-per-table tablespaces) on a tmpfs
     * of {@code size} ({@code mount -t tmpfs -o size=16m}) the test can fill ({@link #fillDisk}) while the server's
     * own files (redo log, undo, system tablespace) stay on the build's disk. Mounting needs root (the build runs as
     * root, CI too): refused, this throws, so the test fails rather than skips.
     */
    public static PrivateMariaDb startOnOwnDisk(String database, String size, String... serverOptions)
            throws IOException, InterruptedException {
        return start(database, size, false, serverOptions);
    }

    /**
     * {@link #start}, with a binary log in ROW format (production's: replication, point-in-time recovery) whose files
     * are on a tmpfs of {@code size} the test can fill ({@link #fillDisk}), the tables staying on the build's disk. A
     * commit that cannot write its binlog event is not refused: it waits, "Waiting for someone to free space", checking
     * again every 60 s (MariaDB 10.11), holding its connection and row locks; a KILL QUERY ends the wait and rolls it
     * back. Mounting needs root, as {@link #startOnOwnDisk}.
     */
    public static PrivateMariaDb startWithBinlogOnOwnDisk(String database, String size, String... serverOptions)
            throws IOException, InterruptedException {
        return start(database, size, true, serverOptions);
    }

    private static PrivateMariaDb start(String database, String diskSize, boolean binlogOnDisk, String... serverOptions)
            throws IOException, InterruptedException {
        int port = PrivateRedis.freePort();
        Path dir = Path.of("target", "private-mariadb-" + port).toAbsolutePath();
        deleteTree(dir);
        // Its own temporary folder: the shared /tmp held another server's temporary table names, and an install
        // failed there deleting one ("Error on delete of '/tmp/#sql-temptable-…' (Errcode: 2)") while helpers' builds
        // ran.
        Files.createDirectories(dir.resolve("tmp"));
        run(
                List.of(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--datadir=" + dir.resolve("data"),
                        "--tmpdir=" + dir.resolve("tmp"),
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db",
                        "--skip-name-resolve",
                        "--user=" + System.getProperty("user.name")),
                dir.resolve("install.log"));
        List<String> binlogOptions = new ArrayList<>();
        Path ownDisk = null;
        String create = "CREATE DATABASE " + database + " CHARACTER SET utf8mb4";
        if (diskSize != null && binlogOnDisk) {
            ownDisk = mount(dir.resolve("binlog"), diskSize, dir);
            // After startAgain's --skip-log-bin: the later option wins.
            binlogOptions.add("--log-bin=" + ownDisk.resolve("binlog"));
            binlogOptions.add("--binlog-format=ROW");
        } else if (diskSize != null) {
            // A folder in the data folder is a database to the server: its options (db.opt) written by ALTER.
            ownDisk = mount(dir.resolve("data").resolve(database), diskSize, dir);
            create = "ALTER DATABASE " + database + " CHARACTER SET utf8mb4";
        }
        PrivateMariaDb server = new PrivateMariaDb(port, dir, database, List.of(serverOptions));
        server.ownDisk = ownDisk;
        server.ownDiskOptions = binlogOptions;
        server.startAgain();
        server.admin(
                create,
                "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON " + database + ".* TO '" + USER + "'@'127.0.0.1'");
        return server;
    }

    /** A tmpfs of {@code size} mounted on the folder {@code at} (made first); refused, this throws. */
    private static Path mount(Path at, String size, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(at);
        run(
                List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", at.toString()),
                dir.resolve("mount.log"));
        return at;
    }

    public int port() {
        return port;
    }

    /** The service's JDBC URL (the test profile's parameters). */
    public String url() {
        return url(port);
    }

    /** A separate instance's arguments ({@link AppProcess}): this server's database, a Redis prefix of its own. */
    public List<String> serviceArguments() {
        return List.of(
                "--spring.datasource.url=" + url(),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--gbm.redis.key-prefix=" + database + ":");
    }

    /** The service's JDBC URL through a proxy on {@code proxyPort} in front of this server. */
    public String url(int proxyPort) {
        return "jdbc:mysql://127.0.0.1:" + proxyPort + "/" + database + IsolatedDatabaseInitializer.PARAMS;
    }

    /**
     * A second server with this one's database as it is now (schema and rows, by {@code mariadb-dump}) and the same
     * service account: what a failover promotes.
     */
    public PrivateMariaDb replica() throws IOException, InterruptedException {
        PrivateMariaDb replica = start(database, serverOptions.toArray(String[]::new));
        Path dump = replica.dir.resolve("dump.sql");
        run(
                List.of(
                        "mariadb-dump",
                        "--no-defaults",
                        "-h127.0.0.1",
                        "-P" + port,
                        "-u" + ADMIN,
                        "--single-transaction",
                        "--result-file=" + dump,
                        database),
                replica.dir.resolve("dump.log"));
        Process load = new ProcessBuilder(
                        List.of("mariadb", "--no-defaults", "-h127.0.0.1", "-P" + replica.port, "-u" + ADMIN, database))
                .redirectErrorStream(true)
                .redirectInput(dump.toFile())
                .redirectOutput(replica.dir.resolve("load.log").toFile())
                .start();
        if (load.waitFor() != 0) {
            throw new IllegalStateException("loading the dump failed, see " + replica.dir.resolve("load.log"));
        }
        return replica;
    }

    /** Starts the server on the same data and port; returns once it takes a root login (at most 30 s). */
    public synchronized void startAgain() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "mariadbd",
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--tmpdir=" + dir.resolve("tmp"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mariadb.sock"),
                "--pid-file=" + dir.resolve("mariadb.pid"),
                "--skip-name-resolve",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=16M",
                "--max-connections=200",
                "--user=" + System.getProperty("user.name")));
        command.addAll(serverOptions);
        command.addAll(ownDiskOptions);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mariadbd.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Connection ignored = rootConnection()) {
                return;
            } catch (SQLException notYet) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new IllegalStateException(
                            "private mariadbd on " + port + " did not start (see " + dir.resolve("mariadbd.log") + ")",
                            notYet);
                }
                Thread.sleep(25);
            }
        }
    }

    /** kill -9: every connection dropped at once, what InnoDB had not made durable lost, as in a crash. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and its exit: a clean shutdown (connections closed by the server). */
    public synchronized void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Runs statements as root on this server (no database selected). */
    public void admin(String... statements) {
        try (Connection connection = rootConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("private mariadbd on " + port + ": " + String.join("; ", statements), e);
        }
    }

    /**
     * Fills the database's own disk ({@link #startOnOwnDisk}) with a file of zeros, to the last page: from then on a
     * table whose tablespace must grow is refused (1114, "The table … is full"), until {@link #freeDisk}.
     */
    public void fillDisk() throws IOException {
        if (ownDisk == null) {
            throw new IllegalStateException("this server's database has no disk of its own (startOnOwnDisk)");
        }
        try (java.io.FileOutputStream out =
                new java.io.FileOutputStream(ownDisk.resolve("filler").toFile(), true)) {
            for (int chunk : new int[] {1 << 20, 4096, 1}) {
                byte[] zeros = new byte[chunk];
                try {
                    while (true) {
                        out.write(zeros);
                    }
                } catch (IOException full) {
                    // No space left for a chunk this size: on with smaller ones.
                }
            }
        }
    }

    /**
     * With the disk full ({@link #fillDisk}), fills a table's free pages too: runs {@code insert.apply(n)} (an INSERT
     * of one row, as root) for n = 1, 2, … until the server refuses it as the table is full (1114). A tablespace keeps
     * the pages it was given, free or not, so a full disk alone left a whole storm of locks and settlements room;
     * after this, the table's next page split is refused. One row at a time: MariaDB 10.11.19 crashed rolling back an
     * INSERT … SELECT of 100 rows refused so. Returns how many rows went in.
     */
    public int insertUntilFull(IntFunction<String> insert) throws SQLException {
        int rows = 0;
        try (Connection connection = rootConnection();
                Statement statement = connection.createStatement()) {
            while (true) {
                statement.execute(insert.apply(rows + 1));
                rows++;
            }
        } catch (SQLException refused) {
            if (refused.getErrorCode() != 1114) {
                throw new IllegalStateException(
                        "filling a table failed; the server's log ends:\n" + logTail(), refused);
            }
            return rows;
        }
    }

    /**
     * {@link #insertUntilFull} on the members' table ({@code group_buy_order_list}) of this server's database: closed
     * orders of nobody's (activity 0) in its last free pages, so the next lock whose row needs a page is refused.
     */
    public int fillMembersTable() throws SQLException {
        return insertUntilFull(n -> "INSERT INTO " + database + ".group_buy_order_list"
                + " (user_id, team_id, order_id, activity_id, start_time, end_time, goods_id, source, channel,"
                + " original_price, deduction_price, pay_price, status, out_trade_no)"
                + " VALUES ('full-" + n + "', 'full', 'F" + n + "', 0, NOW(), NOW(), 'g0', 's0', 'c0',"
                + " 0, 0, 0, 2, 'full-" + n + "')");
    }

    /** The last 40 lines of the server's log. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("mariadbd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Removes {@link #fillDisk}'s file: the space is back. */
    public void freeDisk() throws IOException {
        Files.deleteIfExists(ownDisk.resolve("filler"));
    }

    /** Kills the server and removes its data folder (unmounting its own disk first). */
    public void destroy() throws InterruptedException, IOException {
        kill();
        if (ownDisk != null) {
            run(List.of("umount", ownDisk.toString()), dir.resolve("umount.log"));
        }
        deleteTree(dir);
    }

    private Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + port + "/" + IsolatedDatabaseInitializer.PARAMS + "&connectTimeout=1000",
                ADMIN,
                "");
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (install.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed, see " + log);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
