package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The local {@code @Scheduled} jobs (timeout close, callback compensation, retention) run on a scheduler of their
 * own with a thread each, never on the switches' reload thread: one job stuck for its whole run must not hold back
 * another's ticks. Until 2026-12-01 the reload thread, a {@code ScheduledExecutorService} bean, was taken as the
 * scheduler of every job, so they all queued on it.
 */
@IntegrationTest
@Import(LocalJobThreadsIT.TwoJobs.class)
class LocalJobThreadsIT {

    @Autowired
    TwoJobs jobs;

    @AfterEach
    void release() {
        jobs.release.countDown();
    }

    @Test
    void aJobStuckInItsRunDoesNotHoldBackAnotherJobsTicksNorRunsOnTheReloadThread() throws Exception {
        assertThat(jobs.stuck.await(30, TimeUnit.SECONDS))
                .as("the stuck job started")
                .isTrue();
        int ticksWhenStuck = jobs.ticks.get();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (jobs.ticks.get() < ticksWhenStuck + 5 && System.nanoTime() < until) {
            Thread.sleep(20);
        }

        assertThat(jobs.ticks.get())
                .as("the other job kept ticking while the first was stuck")
                .isGreaterThanOrEqualTo(ticksWhenStuck + 5);
        assertThat(jobs.threads)
                .as("threads the jobs ran on")
                .isNotEmpty()
                .noneMatch(name -> name.equals(LiveSwitchConfig.SwitchReloadThread.NAME))
                .allMatch(name -> name.startsWith("gbm-job-"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TwoJobs {
        final CountDownLatch stuck = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger ticks = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        /** Like a timeout run that takes its whole budget. */
        @Scheduled(fixedDelay = 10)
        void runsLong() throws InterruptedException {
            threads.add(Thread.currentThread().getName());
            stuck.countDown();
            release.await(60, TimeUnit.SECONDS);
        }

        @Scheduled(fixedDelay = 10)
        void ticks() {
            threads.add(Thread.currentThread().getName());
            ticks.incrementAndGet();
        }
    }
}
