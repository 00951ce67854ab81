package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.domain.support.JobLimits;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.annotation.ElementType;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Callback delivery settings ({@code gbm.notify.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.notify")
@NotifyProperties.RecordWindowWithinLease
public class NotifyProperties {

    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(5);
    /**
     * The slowest partner link a callback is still sent over, in bytes per second ({@code 32KB} = 32 KiB/s): each HTTP
     * callback's budget is the send window ({@link #sendWindow()}) plus its body's bytes at this rate, at most the
     * lease minus one send window ({@link #sendBudget()}). The budget was the send window whatever the body, so a
     * team's completion of 10,000 members (about 1 MB) never reached a partner whose link took it slower than about
     * 85 KB/s: every attempt was cut and retried until FAIL. 1KB to 1GB (else the start is refused).
     */
    private DataSize minSendRate = DataSize.ofKilobytes(32);
    /**
     * Idle callback connections kept for reuse: 0 to 10,000 (else the start is refused). 0 keeps none; a negative
     * number silently kept none too.
     */
    @Min(0)
    @Max(10_000)
    private int maxIdleConnections = 32;
    /** Waits before each retry; the task fails after the last. */
    private List<Duration> backoff = new ArrayList<>(NotifyBackoff.DEFAULT_SCHEDULE);
    /** Spread of each wait, as a fraction (0.2 = ±20%): 0 to under 1 (else the start is refused, naming it). */
    @DecimalMin("0")
    @DecimalMax(value = "1", inclusive = false)
    private double jitter = 0.2;
    /**
     * How long a worker holds a task it is delivering before another worker may take it: at least one send (checked
     * with the MQ settings when the delivery service is made) and at most 1 h (else the start is refused). It had no
     * upper bound: the tasks of an instance that died mid-run wait their whole lease before another takes them, so a
     * slipped unit ({@code 60m} for {@code 60s}, or days) held those partners' callbacks that long.
     */
    @DurationMax(hours = 1)
    private Duration lease = Duration.ofSeconds(60);
    /**
     * Most tasks one lease statement of the compensation job takes. MQ tasks of a page are published together and
     * fill it; tasks sent one by one (HTTP) are at most {@code lease / sendWindow - 1} of it, so every task is still
     * leased for the whole of its send. 250: at 100 the per-page statements and commits cost MariaDB almost twice
     * the CPU per MQ message (docs/benchmarks.md). 1 to 10,000 like the other jobs' pages (else the start is refused):
     * 0 was silently 1 for the compensation run, and the after-commit relay of close checks spun on its thread
     * publishing none.
     */
    @Min(1)
    @Max(JobLimits.MAX_PAGE)
    private int pageSize = 250;
    /**
     * Bytes of callback bodies one claim of the compensation job takes at most, besides {@link #pageSize} (a task whose
     * body alone is larger goes alone; the rest stay due for the lane's next page): a lane holds its page in memory, and
     * an MQ page is published within one confirm window. A team's completion callback lists every member (up to
     * 10,000: about 1 MB); a page of 250 such was read whole (783 MB of heap for one lane, eight lanes by default), and
     * only 50 were published within the 5 s window, the other 200 a failed attempt each, every run. 64 KB to 1 GB
     * (else the start is refused; a bare number is bytes).
     */
    @PageBytesBounds
    private DataSize pageBytes = DataSize.ofMegabytes(16);
    /** Time budget of one compensation run. */
    private Duration runBudget = Duration.ofSeconds(50);
    /**
     * Callbacks one compensation run has in flight at once (each still leased first): 1 to 1,000 lanes (else the start
     * is refused). 0 or less stopped the start inside the JDK's pool without naming the setting; each lane is a thread.
     */
    @Min(1)
    @Max(1_000)
    private int runLanes = 8;
    /**
     * #19: HTTP callbacks of one lane's page sent at once; a lane leases this many times {@code lease / sendWindow - 1}
     * of them (16 by default instead of 4). Whatever the lanes, one partner endpoint never has more than its bulkhead
     * ({@code gbm.notify.guard.max-concurrent-per-endpoint}) of them in flight per instance: the rest wait in memory for
     * one to end. 1: one after the other, four per lease, as before. 1 to 1,000 (else the start is refused): 0 or less
     * was silently 1.
     */
    @Min(1)
    @Max(1_000)
    private int httpConcurrency = 4;
    /**
     * #19: threads that make those sends (at most the bulkhead's size per endpoint in use). 1 to 1,000 (else the start
     * is refused): 0 or less was silently one thread. Each is a platform thread with its own stack; past a thousand
     * the host's threads, not the partners, are the limit.
     */
    @Min(1)
    @Max(1_000)
    private int httpSenders = 16;
    /**
     * Threads and queue of the after-commit hand-off. Eight, twice the per-endpoint bulkhead
     * ({@code gbm.notify.guard.max-concurrent-per-endpoint}) and the per-partner cap
     * ({@code gbm.notify.guard.max-concurrent-per-partner}), so one hanging partner can hold at most half (#17), however
     * many endpoints its locks name. 1 to 1,000 threads (else the start is refused; 0 or less stopped the start inside
     * the JDK's pool without naming the setting).
     */
    @Min(1)
    @Max(1_000)
    private int dispatchThreads = 8;
    /**
     * Deliveries waiting for a dispatch thread; a full queue leaves them to the compensation job. 1 to 1,000,000
     * (else the start is refused): 0 or less stopped the start inside the JDK without naming the setting, and the
     * queue's whole array is taken at start, so a slipped digit would be gigabytes (or an OutOfMemoryError).
     */
    @Min(1)
    @Max(1_000_000)
    private int dispatchQueue = 1000;
    /**
     * #19: the outcomes of the after-commit hand-off's deliveries are written several at a time by one recorder thread
     * (NotifyAttemptRecorder: one transaction per page, each outcome under its own token) instead of a transaction
     * each. The sends are not delayed, only the records. false: each delivery records its own outcome, as before.
     */
    private boolean recordTogether = true;
    /**
     * The longest the recorder waits, from a page's first outcome, for more before writing: zero or more and, while
     * outcomes are recorded together, at most a hundredth of the {@code lease} (else the start is refused, {@link
     * RecordWindowWithinLease}), so a record lands long before the task's lease ends. A negative one stopped the start
     * inside the recorder without naming the setting.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    private Duration recordWindow = Duration.ofMillis(20);
    /**
     * Outcomes the recorder writes in one transaction at most: 1 to 10,000 like the jobs' pages (else the start is
     * refused; 0 or less stopped it without naming the setting).
     */
    @Min(1)
    @Max(JobLimits.MAX_PAGE)
    private int recordPage = 100;
    /**
     * Outcomes queued for the recorder at most; beyond it a delivery records its own at once (never dropped). 1 to
     * 1,000,000 (else the start is refused): the queue's whole array is taken at start, like the dispatch queue's.
     */
    @Min(1)
    @Max(1_000_000)
    private int recordQueue = 2000;
    /** Signing secrets by source, then channel: {@code secrets.s01.c01=...}. */
    private Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    /**
     * Delay between runs of the local scheduler (used when no XXL-Job console drives us): 100 ms to 10 min (else the
     * start is refused). Zero stopped the start inside the scheduler without naming the setting, and a bare {@code 5}
     * (5 ms) queried the outbox two hundred times a second; the first retry is due 15 s after a failure, so past 10 min
     * every retry waited that much longer than its backoff.
     */
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    private Duration localSchedulerDelay = Duration.ofSeconds(5);

    private boolean localSchedulerEnabled = true;
    /**
     * While a console drives us, the local scheduler delivers too once a callback has been due this long without a run
     * taking it (LocalNotifyScheduler). 1 s to 24 h (else the start is refused): under a second (a negative one, or a
     * bare {@code 60} read as 60 ms) it ran beside a working console at every period and warned that callbacks were
     * left due (a negative one counted tasks not yet due); over a day callbacks waited that long when the console
     * does not run the job.
     */
    @DurationMin(seconds = 1)
    @DurationMax(days = 1)
    private Duration localTakeoverAfter = Duration.ofSeconds(60);

    /** Old delivered tasks and their attempts are deleted ({@code gbm.notify.retention.*}). */
    @Valid
    private Retention retention = new Retention();

    /** The shortest connect or read timeout taken: a bare number is milliseconds ({@code 5} = 5 ms, not 5 s). */
    static final Duration MIN_HTTP_TIMEOUT = Duration.ofMillis(100);

    /**
     * Refuses the start for a callback timeout no partner could answer within: a bare {@code 5} was 5 ms, and every
     * callback to a partner that took longer to answer (any across a network) failed, retried until FAIL; a negative
     * one stopped the start inside OkHttp without naming the setting.
     */
    public void checkHttpTimeouts() {
        checkHttpTimeout("connect-timeout", connectTimeout);
        checkHttpTimeout("read-timeout", readTimeout);
        if (minSendRate == null
                || minSendRate.compareTo(MIN_SEND_RATE) < 0
                || minSendRate.compareTo(MAX_SEND_RATE) > 0) {
            throw new IllegalStateException(
                    "gbm.notify.min-send-rate must be 1KB to 1GB (bytes per second), got " + minSendRate);
        }
    }

    /** The bounds of {@code min-send-rate}: below 1 KiB/s a 1 MB body needs a quarter of an hour. */
    static final DataSize MIN_SEND_RATE = DataSize.ofKilobytes(1);

    static final DataSize MAX_SEND_RATE = DataSize.ofGigabytes(1);

    private static void checkHttpTimeout(String name, Duration value) {
        if (value == null || value.compareTo(MIN_HTTP_TIMEOUT) < 0) {
            throw new IllegalStateException("gbm.notify." + name + " must be at least " + MIN_HTTP_TIMEOUT.toMillis()
                    + " ms (a bare number is milliseconds: write the unit, e.g. 5s), got " + value);
        }
    }

    /** The longest one HTTP callback of a small body may take: connect, write, read (the client's call timeout). */
    public Duration sendWindow() {
        return connectTimeout.plus(readTimeout).plus(readTimeout);
    }

    /**
     * The budget of one HTTP callback by its body: the send window plus the body's bytes at {@code min-send-rate}, at
     * most the lease minus one send window (never less than the send window), so a big body's send still starts, and
     * ends, within the lease its task was claimed under, as a page's claim keeps one send window to spare. A bigger
     * body (more than about 1.2 MB with the defaults; a completion of 10,000 members is at most 990,040 bytes) is sent
     * within that cap and logged; the start is not refused for it, as a short lease with fast partners served every
     * callback before.
     */
    public SendBudget sendBudget() {
        Duration window = sendWindow();
        Duration room = lease == null ? window : lease.minus(window);
        return new SendBudget(window, minSendRate.toBytes(), room.compareTo(window) < 0 ? window : room);
    }

    @Getter
    @Setter
    public static class Retention {
        /**
         * Delivered (SUCCESS) tasks older than this are deleted with their attempts; other states never are. A bare
         * number is days ({@code 7} = seven days; Spring would read it as milliseconds and delete every delivered
         * task at the next run); at least one day ({@link NotifyRetentionService#MIN_AGE}).
         */
        @DurationUnit(ChronoUnit.DAYS)
        private Duration age = Duration.ofDays(7);
        /** Tasks deleted per statement (small, so a run never holds many row locks at once). */
        private int batchSize = 500;
        /** Time budget of one retention run. */
        private Duration runBudget = Duration.ofSeconds(50);

        private boolean localSchedulerEnabled = true;
        /**
         * Delay between local retention runs (used when no XXL-Job admin is configured): 1 min to 1 day (else the
         * start is refused). A bare {@code 60} (60 ms) ran the deleting scans back to back; past a day delivered tasks
         * pile up past their age.
         */
        @DurationMin(minutes = 1)
        @DurationMax(days = 1)
        private Duration localSchedulerDelay = Duration.ofHours(1);
    }

    /**
     * #19: while outcomes are recorded together ({@code record-together}), {@code record-window} is at most a hundredth
     * of {@code lease}. A callback is sent only while its send window fits in the lease, so its outcome may reach the
     * recorder close to the lease's end, and a record that lands after the lease ended (and another claimant took the
     * task) is refused by the fencing token and the task sent again; a hundredth (600 ms of the default 60 s; the
     * default window is 20 ms) keeps the delay the recorder adds negligible against that margin. Refused as {@code
     * gbm.notify.record-window}, like any other bound (it was a hand check in NotifyConfig, outside the failure
     * analysis that names the setting, its value and where it was set).
     */
    @Target(ElementType.TYPE)
    @java.lang.annotation.Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = RecordWindowCheck.class)
    public @interface RecordWindowWithinLease {
        String message() default "must be at most a hundredth of gbm.notify.lease";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /**
     * {@code page-bytes} is 64 KB to 1 GB: under it a page of ordinary callbacks (a few hundred bytes each) is cut to a
     * few hundred tasks; over it one lane's page alone could exhaust the heap. A bare number is bytes.
     */
    @Target(ElementType.FIELD)
    @java.lang.annotation.Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = PageBytesCheck.class)
    public @interface PageBytesBounds {
        String message() default "must be 64KB to 1GB (a bare number is bytes)";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** The check of {@link PageBytesBounds}. */
    public static class PageBytesCheck implements ConstraintValidator<PageBytesBounds, DataSize> {

        static final DataSize MIN = DataSize.ofKilobytes(64);
        static final DataSize MAX = DataSize.ofGigabytes(1);

        @Override
        public boolean isValid(DataSize bytes, ConstraintValidatorContext context) {
            return bytes != null && bytes.compareTo(MIN) >= 0 && bytes.compareTo(MAX) <= 0;
        }
    }

    /** The check of {@link RecordWindowWithinLease}, reported on {@code recordWindow}. */
    public static class RecordWindowCheck implements ConstraintValidator<RecordWindowWithinLease, NotifyProperties> {

        @Override
        public boolean isValid(NotifyProperties properties, ConstraintValidatorContext context) {
            Duration window = properties.getRecordWindow();
            Duration lease = properties.getLease();
            if (!properties.isRecordTogether()
                    || window == null
                    || lease == null
                    || window.compareTo(lease.dividedBy(100)) <= 0) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(
                            "must be at most a hundredth of gbm.notify.lease (" + lease.dividedBy(100) + ")")
                    .addPropertyNode("recordWindow")
                    .addConstraintViolation();
            return false;
        }
    }

    public String secretOf(String source, String channel) {
        Map<String, String> bySource = secrets.get(source);
        return bySource == null ? null : bySource.get(channel);
    }
}
