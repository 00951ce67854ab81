package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CorrelationData;

class ConfirmWindowTest {

    private static List<CorrelationData> publish(ConfirmWindow window, int count) {
        List<CorrelationData> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(window.admit()).as("publish " + i).isTrue();
            CorrelationData correlation = new CorrelationData("c" + i);
            window.published(correlation);
            published.add(correlation);
        }
        return published;
    }

    @Test
    void aFullWindowAdmitsTheNextOnceItsOldestIsConfirmed() {
        ConfirmWindow window = new ConfirmWindow(3, Duration.ofSeconds(5));
        List<CorrelationData> published = publish(window, 3);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                .execute(() -> published.get(0).getFuture().complete(new CorrelationData.Confirm(true, null)));

        assertThat(window.admit()).isTrue();
        assertThat(window.shut()).isFalse();
    }

    @Test
    void aNackOrAFailedConfirmIsAnAnswerToo() {
        ConfirmWindow window = new ConfirmWindow(2, Duration.ofMillis(200));
        List<CorrelationData> published = publish(window, 2);
        published.get(0).getFuture().complete(new CorrelationData.Confirm(false, "nack"));
        assertThat(window.admit()).isTrue();
        window.published(new CorrelationData("c2"));
        published.get(1).getFuture().completeExceptionally(new IllegalStateException("channel closed"));

        assertThat(window.admit()).isTrue();
    }

    @Test
    void aFullWindowWhoseOldestIsNotConfirmedInTimeShutsForTheRestOfThePage() {
        ConfirmWindow window = new ConfirmWindow(2, Duration.ofMillis(100));
        List<CorrelationData> published = publish(window, 2);

        assertThat(window.admit()).isFalse();
        assertThat(window.shut()).isTrue();
        // Shut for good, even once the broker answers: the page's remaining messages wait for the next run.
        published.forEach(c -> c.getFuture().complete(new CorrelationData.Confirm(true, null)));
        assertThat(window.admit()).isFalse();
    }

    @Test
    void anInterruptDoesNotCutTheWaitAndIsKept() {
        ConfirmWindow window = new ConfirmWindow(1, Duration.ofSeconds(5));
        List<CorrelationData> published = publish(window, 1);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                .execute(() -> published.get(0).getFuture().complete(new CorrelationData.Confirm(true, null)));
        Thread.currentThread().interrupt();
        try {
            assertThat(window.admit()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aWindowOfBytesAdmitsTheNextOnceTheOldestIsConfirmed() {
        ConfirmWindow window = new ConfirmWindow(10, 100, Duration.ofSeconds(5));
        assertThat(window.admit(60, System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                .isTrue();
        CorrelationData first = new CorrelationData("c0");
        window.published(first, 60);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                .execute(() -> first.getFuture().complete(new CorrelationData.Confirm(true, null)));

        // 120 bytes would be on their way: the second waits for the first's confirm.
        assertThat(window.admit(60, System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                .isTrue();
        assertThat(first.getFuture()).isDone();
        assertThat(window.shut()).isFalse();
    }

    @Test
    void aPublishLargerThanTheWindowGoesAloneAndTheNextWaitsForIt() {
        ConfirmWindow window = new ConfirmWindow(10, 100, Duration.ofMillis(100));
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        assertThat(window.admit(500, until)).isTrue();
        window.published(new CorrelationData("big"), 500);

        assertThat(window.admit(1, until)).isFalse();
        assertThat(window.shut()).isTrue();
    }

    @Test
    void aWaitEndsAtThePagesBoundBeforeItsOwn() {
        ConfirmWindow window = new ConfirmWindow(1, Duration.ofSeconds(30));
        publish(window, 1);
        long start = System.nanoTime();

        assertThat(window.admit(0, start + Duration.ofMillis(200).toNanos())).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(window.shut()).isTrue();
    }
}
