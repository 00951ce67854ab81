package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A redelivery of a message whose attempt still runs in this listener (the broker closed the first consumer's channel
 * for its {@code consumer_timeout} and handed the message to another consumer) is handed back without an attempt of
 * its own; once the attempt answered, the next delivery is attempted again (CloseCheckConsumerTimeoutIT end to end).
 */
class RedeliveryDuringAttemptTest {

    @Test
    void aRedeliveryWhileTheAttemptRunsIsBusyWithoutAnAttempt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        RecordedMessageListener<String> listener = StringListener.of(new RabbitTemplate(), () -> {
            if (attempts.incrementAndGet() == 1) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ConsumeOutcome.done(1);
        });
        CompletableFuture<ConsumeOutcome> first =
                CompletableFuture.supplyAsync(() -> listener.attempt("m1", new MessageProperties(), "body"));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        ConsumeOutcome redelivered = listener.attempt("m1", new MessageProperties(), "body");
        ConsumeOutcome other = listener.attempt("m2", new MessageProperties(), "body");
        release.countDown();

        assertThat(redelivered.action()).isEqualTo(ConsumeOutcome.Action.BUSY);
        assertThat(other.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(first.get(10, TimeUnit.SECONDS).action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(listener.attempt("m1", new MessageProperties(), "body").action())
                .isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(attempts).hasValue(3);
    }
}
