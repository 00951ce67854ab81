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
        PrivateMariaDb server = new PrivateMariaDb(port, dir, database, List.of(serverOptions));
        server.startAgain();
        server.admin(
                "CREATE DATABASE " + database + " CHARACTER SET utf8mb4",
                "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON " + database + ".* TO '" + USER + "'@'127.0.0.1'");
        return server;
    }

    public int port() {
        return port;
    }

    /** The service's JDBC URL (the test profile's parameters). */
    public String url() {
        return url(port);
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

    /** Kills the server and removes its data folder. */
    public void destroy() throws InterruptedException, IOException {
        kill();
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
