package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A run takes only the tasks due when it started, so never again one it put back unsent itself (#17), however long it
 * goes on past that task's wait: the next run takes it. Over an outbox in memory that keeps each task's due time.
 */
class DueCallbackDeliveryPutBackTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aTaskPutBackUnsentIsNotTakenAgainByTheSameRunButByTheNext() {
        DueTimesStore store = new DueTimesStore(5, T0.minusSeconds(1));
        MutableClock clock = new MutableClock(T0);
        AtomicBoolean busy = new AtomicBoolean(true);
        // Task 1's endpoint is busy: put back to wait 1 s. Every other send takes 2 s of the clock, so the run goes on
        // past that wait: pages of two, 1 and 2 first, then 3 and 4 (the clock at 2 s, task 1 due again at 1 s).
        DueCallbackDeliveryService service = DeliveryServices.onCallingThread(
                store,
                task -> {
                    if (task.getId() == 1 && busy.get()) {
                        return DeliveryResult.notSent(
                                NotSentReason.BULKHEAD_FULL,
                                clock.instant().plusSeconds(1),
                                "4 deliveries to http:a:80 already in flight");
                    }
                    clock.advance(Duration.ofSeconds(2));
                    return new DeliveryResult(true, 200, 1, null);
                },
                clock,
                DeliverySettings.builder(Duration.ofSeconds(60), 2, Duration.ofMinutes(10))
                        .sendWindow(Duration.ofSeconds(12))
                        .deferUnsent()
                        .build());

        NotifyRunSummary run = service.deliverAllDue();

        assertThat(store.putBacks).as("put back once in the run").containsExactly(Map.entry(1L, 1));
        assertThat(store.claims.get(1L)).as("claimed once in the run").isEqualTo(1);
        assertThat(run.claimed()).isEqualTo(5);
        assertThat(run.delivered()).isEqualTo(4);
        assertThat(store.dueAt)
                .as("task 1 waits, due 1 s after its put-back")
                .containsOnly(Map.entry(1L, T0.plusSeconds(1)));

        // The next run, started after that wait, takes it.
        busy.set(false);
        NotifyRunSummary next = service.deliverAllDue();

        assertThat(next.delivered()).isEqualTo(1);
        assertThat(store.dueAt).isEmpty();
        assertThat(store.claims.get(1L)).isEqualTo(2);
    }

    /**
     * A page of MQ callbacks our broker's block refused, each due again at its own time (the gateway names each its
     * own), is put back by one store call, not a call per task: on main each was a write and a commit of its own
     * (~2,000 for such a page). The task whose lease another claimant took meanwhile is the one not put back; the run
     * counts it claimed, not retried.
     */
    @Test
    void aPagesPutBacksAreOneStoreCall() {
        List<NotifyTaskVO> page = LongStream.rangeClosed(1, 6)
                .mapToObj(id -> DueCallbackDeliveryBatchTest.task(id, "MQ"))
                .toList();
        OnePageStore store = new OnePageStore(page).deferring();
        store.takenOver.add(4L);
        MutableClock clock = new MutableClock(T0);
        INotifyGateway gateway = new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                throw new AssertionError("MQ tasks go out as a batch");
            }

            @Override
            public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
                return tasks.stream()
                        .map(t -> {
                            clock.advance(Duration.ofMillis(1));
                            return DeliveryResult.brokerBlocked(clock.instant().plusSeconds(5), "the broker blocks us");
                        })
                        .toList();
            }
        };

        NotifyRunSummary run = DeliveryServices.onCallingThread(
                        store,
                        gateway,
                        clock,
                        DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(10))
                                .sendWindow(Duration.ofSeconds(12))
                                .batchWindow(Duration.ofSeconds(7))
                                .deferUnsent()
                                .build())
                .deliverAllDue();

        assertThat(store.deferCalls)
                .as("one store call for the page's put-backs")
                .containsExactly(6);
        assertThat(store.putBack).containsExactly(1L, 2L, 3L, 5L, 6L);
        assertThat(store.putBackReasons).containsOnly("not sent: the broker blocks us");
        assertThat(store.finishCalls).as("no attempt").isEmpty();
        assertThat(run.claimed()).isEqualTo(6);
        assertThat(run.retried()).as("put back, task 4's lease taken over").isEqualTo(5);
        assertThat(run.delivered()).isZero();
    }

    /**
     * Tasks 1..n due at one time, claimed oldest first (then by id) among those due by the claim's {@code dueBy} and
     * not leased; a put-back makes a task due at its {@code until} again, unleased.
     */
    private static final class DueTimesStore implements INotifyTaskStore {
        /** The tasks still owed and when each is due. */
        final Map<Long, Instant> dueAt = new TreeMap<>();
        /** How many times each task was claimed, and put back. */
        final Map<Long, Integer> claims = new TreeMap<>();

        final Map<Long, Integer> putBacks = new TreeMap<>();
        private final Set<Long> leased = new HashSet<>();

        DueTimesStore(int n, Instant due) {
            for (long id = 1; id <= n; id++) {
                dueAt.put(id, due);
            }
        }

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
            List<Long> page = dueAt.entrySet().stream()
                    .filter(e -> !e.getValue().isAfter(dueBy) && !leased.contains(e.getKey()))
                    .sorted(Map.Entry.<Long, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(Math.min(limit, oneByOneLimit))
                    .map(Map.Entry::getKey)
                    .toList();
            List<NotifyTaskVO> claimed = new ArrayList<>();
            for (long id : page) {
                leased.add(id);
                claims.merge(id, 1, Integer::sum);
                claimed.add(NotifyTaskVO.builder()
                        .id(id)
                        .teamId("t" + id)
                        .notifyCount(0)
                        .build());
            }
            claimed.sort(Comparator.comparing(NotifyTaskVO::getId));
            return claimed;
        }

        @Override
        public List<Long> pendingTaskIdsOfTeam(String teamId) {
            return List.of();
        }

        @Override
        public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
            return null;
        }

        @Override
        public synchronized List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
            for (NotifyAttemptOutcome outcome : outcomes) {
                dueAt.remove(outcome.task().getId());
                leased.remove(outcome.task().getId());
            }
            return outcomes.stream().map(o -> true).toList();
        }

        @Override
        public synchronized List<Boolean> deferAll(List<NotifyPutBack> backs) {
            for (NotifyPutBack back : backs) {
                dueAt.put(back.task().getId(), back.until());
                leased.remove(back.task().getId());
                putBacks.merge(back.task().getId(), 1, Integer::sum);
            }
            return backs.stream().map(b -> true).toList();
        }

        @Override
        public synchronized boolean release(NotifyTaskVO task, String reason) {
            return leased.remove(task.getId());
        }
    }
}
