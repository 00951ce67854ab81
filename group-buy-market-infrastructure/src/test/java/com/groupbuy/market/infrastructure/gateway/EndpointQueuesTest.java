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

        List<DeliveryResult> results = queues(busy).deliverEach(List.of(task(1), task(2)), t -> true);

        assertThat(results).containsExactly(DELIVERED, DELIVERED);
        assertThat(calls.get(2L)).as("refused once, then sent").hasValue(2);
    }

    @Test
    void aSendRefusedByTheOpenBreakerIsNotTriedAgainWhateverItsTextSays() {
        DeliveryResult open =
                DeliveryResult.notSent(NotSentReason.BREAKER_OPEN, Instant.now().plusSeconds(30), ALREADY_IN_FLIGHT);

        List<DeliveryResult> results = queues(open).deliverEach(List.of(task(1), task(2)), t -> true);

        assertThat(results).containsExactly(DELIVERED, open);
        assertThat(calls.get(2L)).hasValue(1);
    }

    @Test
    void aFailedSendIsItsResultEvenWhenItsTextReadsLikeABusyRefusal() {
        DeliveryResult failed = new DeliveryResult(false, null, 3, "not sent: " + ALREADY_IN_FLIGHT);

        List<DeliveryResult> results = queues(failed).deliverEach(List.of(task(1), task(2)), t -> true);

        assertThat(results).containsExactly(DELIVERED, failed);
        assertThat(calls.get(2L)).hasValue(1);
    }

    /**
     * A compensation run's lanes share an endpoint's queue. A lane's page of one task, while another lane's page holds
     * the endpoint's whole bulkhead, waits for one of those sends to end. On main a page of one was sent at once on the
     * caller's thread, refused by the bulkhead, and its task put back for a second (HttpDrainIT, in CI: 8 not sent).
     */
    @Test
    void aPageOfOneWaitsBehindAnotherPagesSendsToItsEndpointInsteadOfBeingRefused() throws Exception {
        java.util.concurrent.Semaphore bulkhead = new java.util.concurrent.Semaphore(2);
        CountDownLatch bothHeld = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        DeliveryResult refused = DeliveryResult.notSent(
                NotSentReason.BULKHEAD_FULL, Instant.now().plusSeconds(1), ALREADY_IN_FLIGHT);
        INotifyGateway channel = task -> {
            calls.computeIfAbsent(task.getId(), id -> new AtomicInteger()).incrementAndGet();
            if (!bulkhead.tryAcquire()) {
                return refused;
            }
            try {
                if (task.getId() != 3) {
                    bothHeld.countDown();
                    release.await(5, TimeUnit.SECONDS);
                }
                return DELIVERED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                bulkhead.release();
            }
        };
        EndpointQueues queues = new EndpointQueues(channel, task -> "http:a:80", 2, pool, EndpointGuards::bulkheadFull);
        java.util.concurrent.Future<List<DeliveryResult>> twoHolding =
                pool.submit(() -> queues.deliverEach(List.of(task(1), task(2)), t -> true));
        assertThat(bothHeld.await(5, TimeUnit.SECONDS)).isTrue();

        java.util.concurrent.CompletableFuture<List<DeliveryResult>> pageOfOne =
                new java.util.concurrent.CompletableFuture<>();
        Thread lane = new Thread(() -> pageOfOne.complete(queues.deliverEach(List.of(task(3)), t -> true)));
        lane.start();
        // Either answered at once (refused: main) or waiting for its send to start (queued).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!pageOfOne.isDone() && lane.getState() != Thread.State.WAITING && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        release.countDown();

        assertThat(pageOfOne.get(5, TimeUnit.SECONDS)).containsExactly(DELIVERED);
        assertThat(calls.get(3L)).as("sent once, never refused").hasValue(1);
        assertThat(twoHolding.get(5, TimeUnit.SECONDS)).containsExactly(DELIVERED, DELIVERED);
    }

    /**
     * A send that throws is its own task's failed attempt: on main it completed the page's join exceptionally, and the
     * other task's send, already made, lost its result with it (nothing of the page was recorded).
     */
    @Test
    void aSendThatThrowsIsItsOwnTasksFailedResultAndTheOthersKeepTheirs() {
        INotifyGateway channel = task -> {
            if (task.getId() == 2) {
                throw new IllegalArgumentException("Empty key");
            }
            return DELIVERED;
        };
        EndpointQueues queues = new EndpointQueues(channel, task -> "http:a:80", 2, pool, EndpointGuards::bulkheadFull);

        List<DeliveryResult> results = queues.deliverEach(List.of(task(1), task(2), task(3)), t -> true);

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isEqualTo(DELIVERED);
        assertThat(results.get(2)).isEqualTo(DELIVERED);
        assertThat(results.get(1).delivered()).isFalse();
        assertThat(results.get(1).error()).isEqualTo("send failed: IllegalArgumentException: Empty key");
    }

    /**
     * The endpoint is the host:port of a lock's notifyUrl, chosen by the caller. On main every endpoint a page ever sent
     * to kept its queue: 10,000 endpoints, 10,000 queues. A queue now leaves once nothing waits in it and nothing is in
     * flight. (The map is private; read by reflection so that this test runs unchanged against main.)
     */
    @Test
    void anEndpointsQueueLeavesOnceItIsEmpty() throws Exception {
        INotifyGateway channel = task -> DELIVERED;
        EndpointQueues queues =
                new EndpointQueues(channel, task -> "http:h" + task.getId() + ":80", 2, pool, r -> false);
        for (int page = 0; page < 100; page++) {
            List<NotifyTaskVO> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(task(page * 100L + i));
            }
            assertThat(queues.deliverEach(tasks, t -> true)).hasSize(100).containsOnly(DELIVERED);
        }
        java.lang.reflect.Field field = EndpointQueues.class.getDeclaredField("queues");
        field.setAccessible(true);
        Map<?, ?> kept = (Map<?, ?>) field.get(queues);
        // A send's result is given just before its queue is left: let the last runs finish.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!kept.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(kept.size())
                .as("queues kept after 10,000 endpoints were each sent to once")
                .isZero();
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
