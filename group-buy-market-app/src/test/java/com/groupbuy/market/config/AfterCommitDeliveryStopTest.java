package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AfterCommitDeliveryStopTest {

    @Test
    void aStopLetsTheRunningAndQueuedDeliveriesEndAndTakesNoMore() throws Exception {
        ExecutorService dispatch = Executors.newSingleThreadExecutor();
        ExecutorService relay = Executors.newSingleThreadExecutor();
        AtomicInteger delivered = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            dispatch.execute(() -> {
                sleep(200);
                delivered.incrementAndGet();
            });
        }
        AfterCommitDeliveryStop stop = new AfterCommitDeliveryStop(List.of(dispatch, relay), Duration.ofSeconds(10));
        stop.start();

        stop.stop();

        assertThat(delivered.get())
                .as("the running delivery and the two queued behind it")
                .isEqualTo(3);
        assertThat(stop.isRunning()).isFalse();
        assertThatThrownBy(() -> relay.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aDeliveryThatHangsHoldsTheStopNoLongerThanItsWait() throws Exception {
        ExecutorService dispatch = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        dispatch.execute(() -> await(release));
        AfterCommitDeliveryStop stop = new AfterCommitDeliveryStop(List.of(dispatch), Duration.ofMillis(300));

        long started = System.nanoTime();
        stop.stop();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(tookMillis).isBetween(250L, 5_000L);
        assertThat(dispatch.isTerminated()).isFalse();
        release.countDown();
        assertThat(dispatch.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
