package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's job-log retention ({@code xxl.job.executor.logpath}, {@code .logretentiondays}) deletes the job logs
 * it wrote ({@code <logpath>/<yyyy-MM-dd>/<logId>.log}) once they are older than the retention, and nothing else in
 * that directory. The library's cleaner deleted, with everything inside, every folder of the log path whose name
 * merely began with a date ({@code SimpleDateFormat} parses a prefix, leniently): an operator's backup folder
 * {@code 2026-10-01-orders-backup}, or a dated folder holding files of someone else, at every start and then daily.
 */
class ExecutorLogCleanupTest {

    @TempDir
    Path dir;

    private final List<BeanOnlyXxlJobExecutor> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(BeanOnlyXxlJobExecutor::destroy);
    }

    @Test
    void onlyTheExecutorsOwnExpiredJobLogsAreDeleted() throws Exception {
        Path logs = dir.resolve("logs");
        LocalDate longAgo = LocalDate.now().minusDays(40);
        Path expiredLog = write(logs.resolve(longAgo.toString()).resolve("1001.log"), "job log");
        Path recentLog = write(logs.resolve(LocalDate.now().toString()).resolve("1002.log"), "job log");
        Path backup = write(logs.resolve(longAgo + "-orders-backup").resolve("orders.sql"), "INSERT INTO orders ...");
        Path notes = write(logs.resolve(longAgo.minusDays(1).toString()).resolve("incident-notes.txt"), "notes");
        Path expiredBesideNotes = write(notes.resolveSibling("1003.log"), "job log");
        Path oddlyDated = write(logs.resolve("1-2-3").resolve("keep.txt"), "not a job log");

        start(logs);
        // The retention has run once this is gone (at once with ours; on the library's own thread before).
        awaitGone(expiredLog);

        assertThat(expiredBesideNotes).doesNotExist();
        assertThat(expiredLog.getParent()).doesNotExist();
        assertThat(recentLog).exists();
        assertThat(backup).exists().hasContent("INSERT INTO orders ...");
        assertThat(notes).exists().hasContent("notes");
        assertThat(oddlyDated).exists();
    }

    @Test
    void aRetentionBelowThreeDaysKeepsEveryLog() throws Exception {
        Path logs = dir.resolve("logs");
        Path old = write(logs.resolve(LocalDate.now().minusDays(400).toString()).resolve("7.log"), "job log");

        BeanOnlyXxlJobExecutor executor = start(logs, 2);

        assertThat(executor.boundAddress().getPort()).isPositive();
        assertThat(old).exists();
    }

    @Test
    void aRetentionOfMillionsOfDaysKeepsEveryLogAndTheExecutorStarts() throws Exception {
        Path logs = dir.resolve("logs");
        Path old =
                write(logs.resolve(LocalDate.now().minusDays(4000).toString()).resolve("8.log"), "job log");

        BeanOnlyXxlJobExecutor executor = start(logs, Integer.MAX_VALUE);

        assertThat(executor.boundAddress().getPort()).isPositive();
        assertThat(old).exists();
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static void awaitGone(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(file).as("the executor's expired job log").doesNotExist();
    }

    private BeanOnlyXxlJobExecutor start(Path logs) {
        return start(logs, 30);
    }

    private BeanOnlyXxlJobExecutor start(Path logs, int retentionDays) {
        BeanOnlyXxlJobExecutor executor = new BeanOnlyXxlJobExecutor(
                new ExecutorSettings(
                        "",
                        "unit-test-token-0123456789",
                        3,
                        "unit-executor",
                        "",
                        "127.0.0.1",
                        0,
                        logs.toString(),
                        retentionDays,
                        Duration.ofSeconds(30),
                        ExecutorHttpServer.DEFAULT_MAX_CONNECTIONS),
                BeanOnlyXxlJobExecutorTest.COUNTS_NOTHING);
        started.add(executor);
        executor.start();
        return executor;
    }
}
