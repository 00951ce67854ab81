package com.groupbuy.market.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;

/**
 * A stop (SIGTERM, a rolling deploy) lets the after-commit deliveries end: the callbacks a settlement handed to the
 * dispatch pool and the close checks a lock handed to the relay are leased to this instance, so no other instance
 * may send them before their lease ends ({@code gbm.notify.lease}, a minute). The pools were only shut down with
 * their beans, without waiting, while the DataSource closed beside them and the JVM ended: a callback on its way was
 * sent but its outcome never written, and one still queued not sent at all, and both waited out their lease before
 * another instance sent them (the partner got the first one twice). Now the pools take no more work and are given up
 * to one send's longest call (the largest budget a body may get, {@link NotifyProperties#sendBudget()}) to finish, after the web server has stopped
 * (its last requests hand over the last deliveries) and before the attempt recorder writes its last page (phase 0).
 * What is left after that wait keeps its lease, as before.
 */
@Slf4j
public class AfterCommitDeliveryStop implements SmartLifecycle {

    /** After the web server (Spring's phases {@code Integer.MAX_VALUE - 1024/2048}), before the recorder (0). */
    static final int PHASE = 1;

    private final List<ExecutorService> pools;
    private final Duration wait;
    private volatile boolean running;

    public AfterCommitDeliveryStop(List<ExecutorService> pools, Duration wait) {
        this.pools = List.copyOf(pools);
        this.wait = wait;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        pools.forEach(ExecutorService::shutdown); // queued deliveries still run; new ones are left to the job
        long deadline = System.nanoTime() + wait.toNanos();
        for (ExecutorService pool : pools) {
            try {
                if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn(
                            "after-commit deliveries still running {} after the stop began: they keep their lease "
                                    + "(gbm.notify.lease) and another instance sends them once it ends",
                            wait);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
