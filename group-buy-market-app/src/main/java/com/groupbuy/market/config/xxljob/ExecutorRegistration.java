package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.biz.AdminBiz;
import com.xxl.job.core.biz.model.RegistryParam;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.enums.RegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;

/**
 * Registers the executor with its console(s) every interval, like the library's registry thread, but keeps the
 * outcome: while no console accepts us (wrong token, console down) nobody triggers our jobs, so health reports it,
 * an ERROR says why, and {@link #drivesJobs()} turns false so the local schedulers take over.
 */
@Slf4j
public class ExecutorRegistration {

    /** Repeat the ERROR this often while registration keeps failing for the same reason (30 s beats: 5 min). */
    private static final int ERROR_REMINDER_EVERY = 10;

    private final List<AdminBiz> consoles;
    private final String appname;
    private final String address;
    private final Duration interval;
    private final ScheduledExecutorService timer;

    private volatile Status status;
    private int failuresInARow;

    /** Where registration stands: {@code registered} and, when not, why. */
    public record Status(boolean consoleConfigured, boolean registered, String detail) {}

    public ExecutorRegistration(List<AdminBiz> consoles, String appname, String address, Duration interval) {
        this.consoles = consoles == null ? List.of() : List.copyOf(consoles);
        this.appname = appname;
        this.address = address;
        this.interval = interval;
        this.status = this.consoles.isEmpty()
                ? new Status(false, false, "no console configured; the local schedulers drive the jobs")
                : new Status(true, false, "not registered yet");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "xxl-job-registry");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        if (!consoles.isEmpty()) {
            timer.scheduleWithFixedDelay(this::registerOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops beating and tells the consoles we are gone, so they stop routing to this executor at once. */
    public void stop() {
        timer.shutdownNow();
        for (AdminBiz console : consoles) {
            try {
                console.registryRemove(param());
            } catch (RuntimeException e) {
                log.warn("xxl-job executor {} could not deregister: {}", address, e.toString());
            }
        }
    }

    public boolean drivesJobs() {
        return status.registered();
    }

    public Status status() {
        return status;
    }

    /** One registration round: registered once any console accepts us. */
    void registerOnce() {
        StringBuilder why = new StringBuilder();
        for (AdminBiz console : consoles) {
            try {
                ReturnT<String> answer = console.registry(param());
                if (answer != null && answer.getCode() == ReturnT.SUCCESS_CODE) {
                    registered();
                    return;
                }
                why.append(answer == null ? "no answer" : answer.getMsg()).append("; ");
            } catch (RuntimeException | Error e) {
                // An Error too (an OutOfMemoryError under a full heap): thrown out of this beat it ended the timer for
                // good, the status left "registered" while the console, beat no more, dropped us, so neither it nor
                // the local schedulers ran our jobs. A beat that threw is a failed one; the next beats on.
                why.append(e).append("; ");
            }
        }
        failed(why.substring(0, Math.max(0, why.length() - 2)));
    }

    private void registered() {
        if (!status.registered()) {
            log.info(
                    "xxl-job executor {} registered as {} with its console: the console drives the jobs, the local "
                            + "schedulers stand by",
                    appname,
                    address);
        }
        failuresInARow = 0;
        status = new Status(true, true, "registered as " + address);
    }

    private void failed(String why) {
        boolean sameReason = !status.registered() && status.detail().equals(why);
        failuresInARow = sameReason ? failuresInARow + 1 : 1;
        if (failuresInARow % ERROR_REMINDER_EVERY == 1) {
            log.error(
                    "xxl-job executor {} cannot register as {} with its console ({}): the console cannot trigger "
                            + "our jobs; the local schedulers drive them until it registers. Check that xxl.job.admin.addresses "
                            + "is reachable and xxl.job.admin.accessToken equals the console's xxl.job.accessToken",
                    appname,
                    address,
                    why);
        }
        status = new Status(true, false, why);
    }

    private RegistryParam param() {
        return new RegistryParam(RegistryConfig.RegistType.EXECUTOR.name(), appname, address);
    }
}
