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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A start of the default profile that Spring refuses (here a setting no instance can serve) ends the JVM with its
 * embedded MariaDB, Redis and broker, so the operator sees the process gone and the next start finds its data folder
 * free. Before, the broker's non-daemon threads kept a JVM that served nothing, its servers running and its folder
 * locked, until someone killed it.
 */
class FailedStartIT {

    private final Path dataDir = EmbeddedServersIT.outsideTheTempFolder()
            .resolve("failed-start-it-" + UUID.randomUUID().toString().substring(0, 8));
    private Process process;

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        for (long pid : recordedChildren()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
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
                "--gbm.embedded.data-dir=" + dataDir,
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
        List<Long> children = recordedChildren();
        assertThat(children).as("the embedded servers' pids were recorded").isNotEmpty();
        for (long pid : children) {
            Optional<ProcessHandle> child = ProcessHandle.of(pid);
            assertThat(child.isPresent() && child.get().isAlive())
                    .as("embedded server " + pid + " still running")
                    .isFalse();
        }
    }

    /** The pids of {@code embedded.pids} (one {@code pid startInstant} per line). */
    private List<Long> recordedChildren() throws IOException {
        Path pids = dataDir.resolve("embedded.pids");
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
