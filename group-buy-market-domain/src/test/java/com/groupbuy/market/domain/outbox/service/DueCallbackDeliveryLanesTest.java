package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.MutableClock;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run's lanes over an in-memory outbox: every due task once, and a failing lane fails the run after the rest end. */
class DueCallbackDeliveryLanesTest {

    private final ExecutorService lanes = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    @Test
    void fourLanesDeliverEachDueTaskOnceAndTheRunEndsWhenNoneIsLeft() {
        MemoryStore store = new MemoryStore(250, -1);
        Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();

        NotifyRunSummary run = service(store, task -> {
                    sent.computeIfAbsent(task.getId(), id -> new AtomicInteger())
                            .incrementAndGet();
                    return new DeliveryResult(true, 200, 1, null);
                })
                .deliverAllDue();

        assertThat(run.claimed()).isEqualTo(250);
        assertThat(run.delivered()).isEqualTo(250);
        assertThat(sent).hasSize(250);
        assertThat(sent.values()).allMatch(n -> n.get() == 1);
        assertThat(store.finished).hasSize(250);
        assertThat(store.emptyClaims)
                .as("each of the 4 lanes ends at an empty claim")
                .isEqualTo(4);
    }

    @Test
    void aLaneWhoseStoreFailsFailsTheRunAfterTheOtherLanesFinish() {
        MemoryStore store = new MemoryStore(40, 17);

        assertThatThrownBy(() -> service(store, task -> new DeliveryResult(true, 200, 1, null))
                        .deliverAllDue())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("17");
        // One task per lease here: the lane whose claim of task 17 failed ended there; the other lanes drained the
        // rest, 17 included. Nothing claimed is left unfinished: the run returned only after every lane had ended.
        assertThat(store.finished).hasSize(40);
        assertThat(store.claimed).containsAll(store.finished);
        assertThat(store.claimedAfterFailure()).isEmpty();
    }

    @Test
    void aCallTheGatewayDidNotMakeIsPutBackForEitherReasonWithItsWordsAndAFailedCallIsAnAttempt() {
        MemoryStore store = new MemoryStore(3, -1);
        Instant probe = Instant.parse("2026-12-01T12:00:30Z");
        Instant soon = Instant.parse("2026-12-01T12:00:01Z");
        String busyWords = "4 deliveries to http:a:80 already in flight";

        NotifyRunSummary run = service(
                        store,
                        task -> switch ((int) task.getId()) {
                            case 1 ->
                                DeliveryResult.notSent(NotSentReason.BREAKER_OPEN, probe, "circuit open for http:a:80");
                            case 2 -> DeliveryResult.notSent(NotSentReason.BULKHEAD_FULL, soon, busyWords);
                            default -> new DeliveryResult(false, null, 3, "not sent: " + busyWords);
                        },
                        settings().deferUnsent())
                .deliverAllDue();

        assertThat(store.deferred)
                .containsOnly(
                        Map.entry(1L, probe + " not sent: circuit open for http:a:80"),
                        Map.entry(2L, soon + " not sent: " + busyWords));
        assertThat(store.finished).as("the call made and failed used a try").containsExactly(3L);
        assertThat(run.claimed()).isEqualTo(3);
        assertThat(run.retried()).isEqualTo(3);
        assertThat(run.delivered()).isZero();
    }

    @Test
    void aTaskWhoseLeaseWouldEndBeforeItsSendIsReleasedAndSentOnAFreshLease() {
        MemoryStore store = new MemoryStore(8, -1);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();
        // lease 60 s, send window 12 s: batches of 4. Each send takes 25 s of the clock, so the third of a batch
        // would start 50 s into its lease and could end past it: it and the fourth are released unsent, and the next
        // claim takes them first, on a fresh lease. Each is sent once.
        DueCallbackDeliveryService service = DeliveryServices.onCallingThread(
                store,
                task -> {
                    sent.computeIfAbsent(task.getId(), id -> new AtomicInteger())
                            .incrementAndGet();
                    clock.advance(Duration.ofSeconds(25));
                    return new DeliveryResult(true, 200, 1, null);
                },
                clock,
                DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(10))
                        .sendWindow(Duration.ofSeconds(12))
                        .build());

        NotifyRunSummary run = service.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(run.delivered());
        assertThat(run.delivered()).isEqualTo(8);
        assertThat(sent.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(sent.values()).allMatch(times -> times.get() == 1);
    }

    @Test
    void sentConcurrentlyEachSendStillChecksItsLease() {
        MemoryStore store = new MemoryStore(16, -1);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        Map<Long, AtomicInteger> sent = new ConcurrentHashMap<>();
        List<List<Long>> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A gateway that sends a page one after the other (the port's default), each send taking 25 s of the clock: of
        // a
        // page of 8 (lease 60 s, send window 12 s, two at once), the third send would start 50 s into the lease and is
        // not made, nor any after it: those are released, and the next page takes them first. Each task is sent once
        // and has its own outcome.
        INotifyGateway gateway = recordingPages(pages, task -> {
            sent.computeIfAbsent(task.getId(), id -> new AtomicInteger()).incrementAndGet();
            clock.advance(Duration.ofSeconds(25));
            return new DeliveryResult(task.getId() % 2 == 1, 200, 1, task.getId() % 2 == 1 ? null : "answered");
        });
        DueCallbackDeliveryService service = twoAtOnce(store, gateway, clock, 100);

        NotifyRunSummary run = service.deliverAllDue();

        assertThat(pages.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(pages.get(1)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(pages).allMatch(page -> page.size() <= 8);
        assertThat(sent.keySet()).hasSize(16);
        assertThat(sent.values()).allMatch(times -> times.get() == 1);
        assertThat(store.finished).hasSize(16);
        assertThat(run.delivered()).isEqualTo(8);
        assertThat(run.retried()).isEqualTo(8);
    }

    /**
     * A run's page goes to the gateway as a page however few its tasks, so that the gateway can queue even one task
     * behind the other lanes' sends to its endpoint (on main a page of one was sent on the lane's thread, past that
     * queue, and refused by the bulkhead the other lanes held). A hand-off's single task is still sent on its caller's
     * thread, never queued behind a partner's other callbacks.
     */
    @Test
    void aRunsPageOfOneIsHandedOverAsAPageAndAHandOffsTaskIsSentByItsCaller() {
        MemoryStore store = new MemoryStore(3, -1);
        List<List<Long>> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
        INotifyGateway gateway = recordingPages(pages, task -> new DeliveryResult(true, 200, 1, null));
        DueCallbackDeliveryService service =
                twoAtOnce(store, gateway, new MutableClock(Instant.parse("2026-11-30T00:00:00Z")), 1);

        assertThat(service.deliver(3).delivered()).isEqualTo(1);
        assertThat(pages).as("the hand-off's task sent by its caller").isEmpty();

        NotifyRunSummary run = service.deliverAllDue();

        assertThat(pages).containsExactly(List.of(1L), List.of(2L));
        assertThat(run.delivered()).isEqualTo(2);
        assertThat(store.finished).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    /** Sends each task with {@code send}, one after the other, recording the ids of each page handed to deliverEach. */
    private static INotifyGateway recordingPages(List<List<Long>> pages, INotifyGateway send) {
        return new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                return send.groupBuyNotify(task);
            }

            @Override
            public List<DeliveryResult> deliverEach(
                    List<NotifyTaskVO> tasks, java.util.function.Predicate<NotifyTaskVO> mayStart) {
                pages.add(tasks.stream().map(NotifyTaskVO::getId).toList());
                return INotifyGateway.super.deliverEach(tasks, mayStart);
            }
        };
    }

    /** One lane on the calling thread, lease 60 s, send window 12 s, two sends of a page at once. */
    private static DueCallbackDeliveryService twoAtOnce(
            INotifyTaskStore store, INotifyGateway gateway, Clock clock, int pageSize) {
        return DeliveryServices.onCallingThread(
                store,
                gateway,
                clock,
                DeliverySettings.builder(Duration.ofSeconds(60), pageSize, Duration.ofMinutes(10))
                        .sendWindow(Duration.ofSeconds(12))
                        .httpConcurrency(2)
                        .build());
    }

    /** Four lanes, one task per lease (a send window of half the lease). */
    private static DeliverySettings.Builder settings() {
        return DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofSeconds(30))
                .lanes(4);
    }

    private DueCallbackDeliveryService service(INotifyTaskStore store, INotifyGateway gateway) {
        return service(store, gateway, settings());
    }

    private DueCallbackDeliveryService service(
            INotifyTaskStore store, INotifyGateway gateway, DeliverySettings.Builder settings) {
        return DeliveryServices.of(
                store,
                gateway,
                DeliveryServices.oneMinute(),
                Clock.systemUTC(),
                settings.build(),
                lanes,
                new RunStop());
    }

    /** Due tasks 1..n; the first claim of {@code failOn} throws, as a lost database connection would. */
    private static final class MemoryStore implements INotifyTaskStore {
        private final Set<Long> due = ConcurrentHashMap.newKeySet();
        final Set<Long> claimed = ConcurrentHashMap.newKeySet();
        final Set<Long> finished = ConcurrentHashMap.newKeySet();
        /** Tasks put back unsent: the time to try again and the last error, as "until error". */
        final Map<Long, String> deferred = new ConcurrentHashMap<>();

        private final long failOn;

        MemoryStore(int n, long failOn) {
            for (long id = 1; id <= n; id++) {
                due.add(id);
            }
            this.failOn = failOn;
        }

        private volatile boolean failed;
        private final Set<Long> claimedAfter = ConcurrentHashMap.newKeySet();
        /** Claims that found nothing: each lane ends at its first. */
        int emptyClaims;

        @Override
        public synchronized List<NotifyTaskVO> claimDue(
                Instant now,
                Instant dueBy,
                int shardIndex,
                int shardTotal,
                int limit,
                int oneByOneLimit,
                String worker,
                Instant leaseUntil) {
            // None of these tasks is MQ: all are sent one by one.
            List<Long> batch = due.stream()
                    .filter(id -> !claimed.contains(id))
                    .sorted()
                    .limit(Math.min(limit, oneByOneLimit))
                    .toList();
            if (batch.contains(failOn) && !failed) {
                failed = true;
                throw new IllegalStateException("claim of " + failOn + " failed");
            }
            if (failed) {
                claimedAfter.addAll(batch);
            }
            claimed.addAll(batch);
            emptyClaims += batch.isEmpty() ? 1 : 0;
            return batch.stream()
                    .map(id -> NotifyTaskVO.builder()
                            .id(id)
                            .teamId("t" + id)
                            .notifyCount(0)
                            .build())
                    .toList();
        }

        /** Tasks claimed after a lane failed, never finished: would mean a lane outlived the run. */
        Set<Long> claimedAfterFailure() {
            Set<Long> open = ConcurrentHashMap.newKeySet();
            claimedAfter.stream().filter(id -> !finished.contains(id)).forEach(open::add);
            return open;
        }

        @Override
        public List<Long> pendingTaskIdsOfTeam(String teamId) {
            return List.of();
        }

        @Override
        public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
            if (taskId == failOn) {
                throw new IllegalStateException("claim of " + taskId + " failed");
            }
            if (!due.contains(taskId) || !claimed.add(taskId)) {
                return null;
            }
            return NotifyTaskVO.builder()
                    .id(taskId)
                    .teamId("t" + taskId)
                    .notifyCount(0)
                    .build();
        }

        @Override
        public List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
            for (NotifyAttemptOutcome outcome : outcomes) {
                due.remove(outcome.task().getId());
                finished.add(outcome.task().getId());
            }
            return outcomes.stream().map(o -> true).toList();
        }

        @Override
        public List<Boolean> deferAll(List<NotifyPutBack> backs) {
            for (NotifyPutBack back : backs) {
                deferred.put(back.task().getId(), back.until() + " " + back.reason());
            }
            return backs.stream().map(b -> true).toList();
        }

        @Override
        public boolean release(NotifyTaskVO task, String reason) {
            return claimed.remove(task.getId());
        }
    }
}
