package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * #19: a send the channel refuses because the endpoint's bulkhead is full waits for one of the page's own sends to end
 * and goes again; any other refusal or failure is the send's result. Told apart by the result's reason, not its text.
 */
class EndpointQueuesTest {

    private static final String ALREADY_IN_FLIGHT = "4 deliveries to http:a:80 already in flight";
    private static final DeliveryResult DELIVERED = new DeliveryResult(true, 200, 1, null);

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aSendRefusedAsBusyGoesAgainWhenTheOtherSendToItsEndpointEnds() {
        DeliveryResult busy = DeliveryResult.notSent(
                NotSentReason.BULKHEAD_FULL, Instant.now().plusSeconds(1), ALREADY_IN_FLIGHT);

        List<DeliveryResult> results = queues(busy).deliverEach(List.of(task(1), task(2)), () -> true);

        assertThat(results).containsExactly(DELIVERED, DELIVERED);
        assertThat(calls.get(2L)).as("refused once, then sent").hasValue(2);
    }

    @Test
    void aSendRefusedByTheOpenBreakerIsNotTriedAgainWhateverItsTextSays() {
        DeliveryResult open =
                DeliveryResult.notSent(NotSentReason.BREAKER_OPEN, Instant.now().plusSeconds(30), ALREADY_IN_FLIGHT);

        List<DeliveryResult> results = queues(open).deliverEach(List.of(task(1), task(2)), () -> true);

        assertThat(results).containsExactly(DELIVERED, open);
        assertThat(calls.get(2L)).hasValue(1);
    }

    @Test
    void aFailedSendIsItsResultEvenWhenItsTextReadsLikeABusyRefusal() {
        DeliveryResult failed = new DeliveryResult(false, null, 3, "not sent: " + ALREADY_IN_FLIGHT);

        List<DeliveryResult> results = queues(failed).deliverEach(List.of(task(1), task(2)), () -> true);

        assertThat(results).containsExactly(DELIVERED, failed);
        assertThat(calls.get(2L)).hasValue(1);
    }

    /**
     * Two sends at once to one endpoint. Task 2's first call answers {@code firstOfTask2}; task 1 stays in flight until
     * the send that got that answer has been dealt with (put back, or given its result), so a busy task 2 always has
     * one of its page's sends to wait behind. Every other call delivers.
     */
    private EndpointQueues queues(DeliveryResult firstOfTask2) {
        CountDownLatch firstOfTask2DealtWith = new CountDownLatch(1);
        ThreadLocal<Boolean> answeredFirstOfTask2 = ThreadLocal.withInitial(() -> false);
        INotifyGateway channel = task -> {
            int call = calls.computeIfAbsent(task.getId(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (task.getId() == 2 && call == 1) {
                answeredFirstOfTask2.set(true);
                return firstOfTask2;
            }
            if (task.getId() == 1) {
                try {
                    assertThat(firstOfTask2DealtWith.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return DELIVERED;
        };
        // A send's run on the executor ends once its result is given or it is put back in its queue.
        Executor executor = send -> pool.execute(() -> {
            send.run();
            if (answeredFirstOfTask2.get()) {
                answeredFirstOfTask2.remove();
                firstOfTask2DealtWith.countDown();
            }
        });
        return new EndpointQueues(channel, task -> "http:a:80", 2, executor, EndpointGuards::bulkheadFull);
    }

    private static NotifyTaskVO task(long id) {
        return NotifyTaskVO.builder().id(id).teamId("t" + id).build();
    }
}
