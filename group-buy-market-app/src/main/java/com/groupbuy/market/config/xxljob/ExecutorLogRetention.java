package com.groupbuy.market.config.xxljob;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.DateFormat;
import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lombok.extern.slf4j.Slf4j;

/**
 * Deletes the job logs the executor wrote ({@code <logpath>/<yyyy-MM-dd>/<logId>.log}, the library's
 * {@code XxlJobFileAppender}) once their day is {@code retentionDays} or more behind today, and nothing else: a folder
 * is a day's only when its whole name is a real date, a file is a job log only when its name is a log id, and a day's
 * folder goes only once nothing else is left in it. Below 3 days nothing is deleted (as the library). Runs once when
 * the executor starts, then daily.
 * <p>
 * Replaces the library's {@code JobLogFileCleanThread}, which deleted recursively every folder of the log path whose
 * name <em>began</em> with something {@code SimpleDateFormat("yyyy-MM-dd")} parses leniently: with the log path set to
 * a folder that holds anything else ({@code XXL_JOB_LOG_PATH=/srv/gbm}), an operator's {@code 2026-10-01-backup} or
 * {@code 1-2-3} folder and everything in it was deleted at the next start.
 */
@Slf4j
final class ExecutorLogRetention {

    /** A day's folder named {@code yyyy-MM-dd} in ISO digits and years. Strict: no 31st of February. */
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    /** {@code String.valueOf(logId) + ".log"}. */
    private static final Pattern JOB_LOG = Pattern.compile("-?[0-9]{1,19}\\.log");

    private static final int MIN_RETENTION_DAYS = 3;

    private final Path logPath;
    private final int retentionDays;
    private final Clock clock;
    private ScheduledExecutorService daily;

    ExecutorLogRetention(Path logPath, int retentionDays, Clock clock) {
        this.logPath = logPath;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    /** One run now (before the executor answers anyone), then one a day; nothing when logs are kept for ever. */
    synchronized void start() {
        if (retentionDays < MIN_RETENTION_DAYS || daily != null) {
            return;
        }
        runOnce();
        daily = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "xxl-job-log-retention");
            thread.setDaemon(true);
            return thread;
        });
        daily.scheduleWithFixedDelay(this::runOnce, 1, 1, TimeUnit.DAYS);
    }

    synchronized void stop() {
        if (daily != null) {
            daily.shutdownNow();
            daily = null;
        }
    }

    /** Job logs deleted by this run. */
    long runOnce() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.systemDefault()));
        long deleted = 0;
        try (DirectoryStream<Path> days = Files.newDirectoryStream(logPath)) {
            for (Path day : days) {
                LocalDate date = dayOf(day, today);
                if (date != null && ChronoUnit.DAYS.between(date, today) >= retentionDays) {
                    deleted += deleteJobLogs(day);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The next run tries again; a log kept a day longer harms nothing.
            log.warn("xxl-job log retention in {} stopped: {}", logPath, e.toString());
        }
        if (deleted > 0) {
            log.info("xxl-job log retention: {} job log(s) older than {} days deleted", deleted, retentionDays);
        }
        return deleted;
    }

    /**
     * The day a folder of the log path holds (a real folder, not a link, named exactly as a date), or null. The name
     * is read as the library writes it on this JVM ({@link #libraryDayFormat()}) and as an ISO date (a folder written
     * while the host's locale wrote ISO dates). A name may read both ways ({@code 2569-12-06} is this day on a Thai
     * Buddhist-calendar host, and an ISO date): no folder is named after a day still to come, and of two past days the
     * later one is taken, so a log is never deleted before its retention.
     */
    private static LocalDate dayOf(Path folder, LocalDate today) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String name = folder.getFileName().toString();
        return Stream.of(isoDay(name), libraryDay(name))
                .filter(day -> day != null && !day.isAfter(today))
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    private static LocalDate isoDay(String name) {
        try {
            return LocalDate.parse(name, DAY);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The day {@code name} is when {@link #libraryDayFormat()} writes exactly that name for it, or null. */
    private static LocalDate libraryDay(String name) {
        DateFormat format = libraryDayFormat();
        format.setLenient(false);
        ParsePosition end = new ParsePosition(0);
        Date start = format.parse(name, end);
        if (start == null || end.getIndex() != name.length() || !name.equals(format.format(start))) {
            return null;
        }
        return LocalDate.ofInstant(start.toInstant(), format.getTimeZone().toZoneId());
    }

    /**
     * How the library names a day's folder ({@code XxlJobFileAppender.makeLogFileName}, xxl-job-core 3.2.0):
     * {@code new SimpleDateFormat("yyyy-MM-dd")}, the JVM's default locale and zone. That locale's digits and calendar
     * are the name's: {@code 2569-12-06} on a Thai host (Buddhist years), {@code ٢٠٢٦-١٢-٠٦} on an Egyptian Arabic one,
     * {@code 8-12-06} with the Japanese imperial calendar; read as ISO dates only, those folders were never deleted.
     */
    static DateFormat libraryDayFormat() {
        return new SimpleDateFormat("yyyy-MM-dd");
    }

    private static long deleteJobLogs(Path day) throws IOException {
        long deleted = 0;
        boolean othersLeft = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(day)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && JOB_LOG.matcher(file.getFileName().toString()).matches()) {
                    Files.deleteIfExists(file);
                    deleted++;
                } else {
                    othersLeft = true;
                }
            }
        }
        if (!othersLeft) {
            try {
                Files.deleteIfExists(day);
            } catch (DirectoryNotEmptyException e) {
                // A job wrote into it meanwhile: it stays for the next run.
            }
        }
        return deleted;
    }
}
