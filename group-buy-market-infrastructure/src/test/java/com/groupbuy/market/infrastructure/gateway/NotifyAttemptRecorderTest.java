package com.groupbuy.market.infrastructure.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.support.RunStop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The after-commit outcomes' recorder (#19) over an in-memory store: outcomes queued meanwhile go out in one write; a
 * full queue records at once on the caller's thread; a page whose write fails is written outcome by outcome; stop
 * writes out the queue at once (not after the window) and later outcomes are recorded inline. None is ever lost.
 */
class NotifyAttemptRecorderTest {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "recorder"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Store store = new Store();
    private final DueCallbackDeliveryService service = new DueCallbackDeliveryService(
            store,
            new Gateway(),
            new NotifyBackoff(List.of(Duration.ofMinutes(1)), 0, () -> 0.5),
            Clock.systemUTC(),
            "worker-1",
            DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(1))
                    .sendWindow(Duration.ofSeconds(10))
                    .build(),
            Runnable::run,
            new RunStop());

    @AfterEach
    void shutDown() {
        thread.shutdownNow();
    }

    private NotifyAttemptRecorder recorder(int bound, Duration window, int page) {
        return new NotifyAttemptRecorder(service::recordAttempts, thread, bound, window, page, meters);
    }

    @Test
    void outcomesQueuedMeanwhileAreWrittenTogetherInOneWrite() throws Exception {
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofSeconds(5), 4);
        recorder.start();

        for (long id = 1; id <= 4; id++) {
            recorder.record(List.of(outcome(id)));
        }
        // A full page does not wait for the window.
        store.awaitRecorded(4);
        recorder.stop(); // the loop has ended: its counters are final

        assertThat(store.writes).containsExactly(List.of(1L, 2L, 3L, 4L));
        assertThat(store.writers).containsOnly("recorder");
        assertThat(meters.counter("gbm.notify.record.writes").count()).isEqualTo(1);
        assertThat(meters.counter("gbm.notify.record.outcomes", "way", "together")
                        .count())
                .isEqualTo(4);
    }

    @Test
    void aPageIsWrittenOnceItsWindowEndsWithWhatCameMeanwhile() throws Exception {
        // The recorder's thread is held until all three are queued: the page is not full (100), so only the window's
        // end writes it, and no scheduling delay of this thread can split it (as a real 300 ms window had to allow).
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofMillis(20), 100);
        CountDownLatch release = new CountDownLatch(1);
        thread.submit(() -> release.await(10, TimeUnit.SECONDS));
        recorder.start();

        recorder.record(List.of(outcome(1)));
        recorder.record(List.of(outcome(2), outcome(3)));
        release.countDown();
        store.awaitRecorded(3);

        assertThat(store.writes).containsExactly(List.of(1L, 2L, 3L));
        recorder.stop();
    }

    @Test
    void aFullQueueRecordsOnTheCallersThreadAndLosesNothing() throws Exception {
        NotifyAttemptRecorder recorder = recorder(2, Duration.ZERO, 1);
        CountDownLatch release = new CountDownLatch(1);
        store.holdOnRecorder(release);
        recorder.start();

        recorder.record(List.of(outcome(1))); // taken by the recorder, whose write is held
        store.awaitHeld();
        recorder.record(List.of(outcome(2), outcome(3))); // fills the queue (bound 2)
        recorder.record(List.of(outcome(4))); // queue full: written here, at once

        assertThat(store.writes).containsExactly(List.of(4L));
        assertThat(store.writers).containsExactly("caller");
        assertThat(meters.counter("gbm.notify.record.outcomes", "way", "inline").count())
                .isEqualTo(1);

        release.countDown();
        store.awaitRecorded(4);
        assertThat(store.recordedIds()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        recorder.stop();
    }

    @Test
    void aPageWhoseWriteFailsIsWrittenOutcomeByOutcome() throws Exception {
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofSeconds(5), 3);
        store.failWhen(page -> page.size() > 1 || page.get(0).task().getId() == 3L);
        recorder.start();

        recorder.record(List.of(outcome(1), outcome(2), outcome(3)));
        store.awaitAttempts(4); // the page, then each alone
        recorder.stop();

        assertThat(store.attempts).containsExactly(List.of(1L, 2L, 3L), List.of(1L), List.of(2L), List.of(3L));
        // The page's write changed nothing (one transaction); 3 failed alone too: logged, left to the lease's end.
        assertThat(store.recordedIds()).containsExactly(1L, 2L);
        assertThat(meters.counter("gbm.notify.record.outcomes", "way", "alone").count())
                .isEqualTo(2);
        assertThat(meters.counter("gbm.notify.record.writes").count()).isZero();
    }

    /**
     * An OutOfMemoryError thrown in a write (a full heap throws it in whichever thread allocates) ended the recorder's
     * loop for good: every later outcome queued unwritten (until the queue filled), each of those callbacks sent again
     * once its lease ended, while the service answered UP. The loop goes on; the page it could not write is left to
     * its leases, as a failed write is.
     */
    @Test
    void anErrorInAWriteLeavesTheRecorderRecording() throws Exception {
        NotifyAttemptRecorder recorder = recorder(100, Duration.ZERO, 1);
        store.throwNext(new OutOfMemoryError("Java heap space"));
        recorder.start();

        recorder.record(List.of(outcome(1)));
        store.awaitAttempts(1);
        recorder.record(List.of(outcome(2)));
        store.awaitRecorded(1);

        assertThat(store.recordedIds()).containsExactly(2L);
        assertThat(store.writers).containsExactly("recorder");
        recorder.stop();
    }

    @Test
    void stopWritesOutTheQueueAtOnceAndLaterOutcomesAreRecordedInline() throws Exception {
        // A window of an hour: a stop that waited for the window instead of writing out at once would take an hour,
        // so the bound below tells the two apart by orders of magnitude, whatever the machine's load.
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofHours(1), 100);
        recorder.start();
        recorder.record(List.of(outcome(1)));
        recorder.record(List.of(outcome(2)));
        // The recorder has taken both and waits in its window for more: the stop must wake it, not wait the window out.
        long taking = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (recorder.queued() > 0 && System.nanoTime() - taking < 0) {
            Thread.sleep(5);
        }
        assertThat(recorder.queued()).isZero();

        long started = System.nanoTime();
        recorder.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(2));
        assertThat(recorder.queued()).isZero();
        assertThat(store.recordedIds()).containsExactly(1L, 2L);
        assertThat(store.writers).containsOnly("recorder");
        assertThat(recorder.isRunning()).isFalse();

        recorder.record(List.of(outcome(3)));
        assertThat(store.recordedIds()).containsExactly(1L, 2L, 3L);
        assertThat(store.writers).containsExactly("recorder", "caller");
    }

    @Test
    void beforeStartOutcomesAreRecordedInline() {
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofSeconds(30), 100);
        recorder.record(List.of(outcome(1)));
        assertThat(store.writes).containsExactly(List.of(1L));
        assertThat(store.writers).containsExactly("caller");
    }

    /** The dispatcher sends each leased callback at once and hands its outcome over; the recorder writes them together. */
    @Test
    void theDispatcherSendsAtOnceAndTheRecorderWritesTheCallbacksOutcomesTogether() throws Exception {
        NotifyAttemptRecorder recorder = recorder(100, Duration.ofSeconds(5), 2);
        recorder.start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            NotifyDispatcher dispatcher = new NotifyDispatcher(pool, service, null, 0, 0, recorder);
            NotifyLease lease = dispatcher.callbackLease();
            dispatcher.dispatchLeased(http(11, lease.token()), lease);
            dispatcher.dispatchLeased(http(12, lease.token()), lease);
            store.awaitRecorded(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.writes).hasSize(1);
        assertThat(store.writes.get(0)).containsExactlyInAnyOrder(11L, 12L);
        assertThat(store.writers).containsExactly("recorder");
        recorder.stop();
    }

    private static NotifyTaskVO http(long id, String token) {
        return NotifyTaskVO.builder()
                .id(id)
                .webhookId("msg_" + id)
                .teamId("t" + id)
                .notifyType(NotifyTarget.HTTP)
                .notifyUrl("http://partner.example/cb")
                .notifyCount(0)
                .claimToken(token)
                .build();
    }

    private static NotifyAttemptOutcome outcome(long id) {
        Instant now = Instant.now();
        return new NotifyAttemptOutcome(
                http(id, "token"), now, new DeliveryResult(true, 200, 1, null), NotifyTaskStatus.SUCCESS, now);
    }

    /** Records every write (ids, and which thread: the recorder's or a caller's); can hold or fail chosen writes. */
    private static final class Store implements INotifyTaskStore {
        /** Every finishAttempts call, failed or not. */
        final List<List<Long>> attempts = Collections.synchronizedList(new ArrayList<>());
        /** The writes that succeeded. */
        final List<List<Long>> writes = Collections.synchronizedList(new ArrayList<>());

        final List<String> writers = Collections.synchronizedList(new ArrayList<>());
        private final Map<Long, Boolean> recorded = new ConcurrentHashMap<>();
        private volatile Predicate<List<NotifyAttemptOutcome>> fail = page -> false;
        private volatile Error error;
        private volatile CountDownLatch hold;
        private final CountDownLatch held = new CountDownLatch(1);

        void failWhen(Predicate<List<NotifyAttemptOutcome>> when) {
            this.fail = when;
        }

        /** The next write throws this (an Error: what a full heap throws anywhere). */
        void throwNext(Error error) {
            this.error = error;
        }

        /** The recorder thread's writes wait for {@code release}. */
        void holdOnRecorder(CountDownLatch release) {
            this.hold = release;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        }

        List<Long> recordedIds() {
            return recorded.keySet().stream().sorted().toList();
        }

        void awaitRecorded(int n) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (recorded.size() < n && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(recorded).hasSize(n);
        }

        void awaitAttempts(int n) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (attempts.size() < n && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(attempts).hasSize(n);
        }

        @Override
        public List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
            List<Long> ids = outcomes.stream().map(o -> o.task().getId()).toList();
            boolean onRecorder = Thread.currentThread().getName().equals("recorder");
            if (hold != null && onRecorder) {
                held.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            attempts.add(ids);
            Error thrown = error;
            if (thrown != null) {
                error = null;
                throw thrown;
            }
            if (fail.test(outcomes)) {
                throw new IllegalStateException("the database refused the write");
            }
            writes.add(ids);
            writers.add(onRecorder ? "recorder" : "caller");
            ids.forEach(id -> recorded.put(id, true));
            return outcomes.stream().map(o -> true).toList();
        }

        @Override
        public List<NotifyTaskVO> claimDue(
                Instant now,
                Instant dueBy,
                int shardIndex,
                int shardTotal,
                int limit,
                int oneByOneLimit,
                String worker,
                Instant leaseUntil) {
            return List.of();
        }

        @Override
        public List<Long> pendingTaskIdsOfTeam(String teamId) {
            return List.of();
        }

        @Override
        public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
            throw new AssertionError("not claimed here");
        }

        @Override
        public List<Boolean> deferAll(List<NotifyPutBack> putBacks) {
            throw new AssertionError("nothing is deferred here");
        }

        @Override
        public boolean release(NotifyTaskVO task, String reason) {
            throw new AssertionError("nothing is released here");
        }
    }

    /** Acknowledges every callback. */
    private static final class Gateway implements INotifyGateway {
        @Override
        public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
            return new DeliveryResult(true, 200, 1, null);
        }

        @Override
        public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
            return tasks.stream().map(this::groupBuyNotify).toList();
        }
    }
}
