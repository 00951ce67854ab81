package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.xxl.job.core.biz.model.LogParam;
import com.xxl.job.core.log.XxlJobFileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library names a run's log folder with {@code SimpleDateFormat("yyyy-MM-dd")} in the JVM's default locale: on a
 * Thai host this year's folder is {@code 2569-12-06} (Buddhist years), on an Egyptian Arabic one {@code ٢٠٢٦-١٢-٠٦},
 * with the Japanese imperial calendar {@code 8-12-06}. The retention read folder names as ISO dates only: the Thai
 * folders were years in the future, the others no date at all, and no job log was ever deleted there. It must delete
 * the expired logs the library wrote on this host, keep the recent ones (also an ISO-named folder written before the
 * host's locale changed), and {@code /log} must still find a run's log where the library wrote it.
 */
class ExecutorLogLocaleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "th-TH", "th-TH-u-nu-thai", "ar-EG", "fa-IR", "ja-JP-u-ca-japanese"})
    void theLogsTheLibraryWroteAreDeletedOnceExpiredInEveryDefaultLocale(String locale) throws IOException {
        Instant now = Instant.now();
        Path logs = dir.resolve("logs");
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(locale));
            XxlJobFileAppender.initLogPath(logs.toString());
            Path expired = write(XxlJobFileAppender.makeLogFileName(Date.from(now.minus(Duration.ofDays(40))), 1001));
            Path recent = write(XxlJobFileAppender.makeLogFileName(Date.from(now), 1002));
            // ISO-named folders, written while the host's locale wrote ISO dates.
            Path isoRecent = write(logs.resolve(LocalDate.now().toString()).resolve("1003.log"));
            Path isoExpired =
                    write(logs.resolve(LocalDate.now().minusDays(40).toString()).resolve("1004.log"));

            long deleted = new ExecutorLogRetention(logs, 30, Clock.systemDefaultZone()).runOnce();

            assertThat(expired)
                    .as("the library's folder %s", expired.getParent())
                    .doesNotExist();
            assertThat(isoExpired).doesNotExist();
            assertThat(deleted).isEqualTo(2);
            assertThat(recent).exists();
            assertThat(isoRecent).exists();
            assertThat(ExecutorLogPage.readLog(new LogParam(now.toEpochMilli(), 1002, 1))
                            .getContent()
                            .getLogContent())
                    .isEqualTo("job log\n");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Path write(String file) throws IOException {
        return Files.writeString(Path.of(file), "job log\n");
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "job log\n");
    }
}
