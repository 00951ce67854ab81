package com.groupbuy.market.domain.trade.service.notify;

import com.groupbuy.market.domain.trade.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.trade.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.trade.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.trade.model.valobj.NotifyTaskVO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run's lanes over an in-memory outbox: every due task once, and a failing lane fails the run after the rest end. */
class SettlementNotifyLanesTest {

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
            sent.computeIfAbsent(task.getId(), id -> new AtomicInteger()).incrementAndGet();
            return new DeliveryResult(true, 200, 1, null);
        }).execSettlementNotifyJob();

        assertThat(run.claimed()).isEqualTo(250);
        assertThat(run.delivered()).isEqualTo(250);
        assertThat(sent).hasSize(250);
        assertThat(sent.values()).allMatch(n -> n.get() == 1);
        assertThat(store.finished).hasSize(250);
    }

    @Test
    void aLaneWhoseStoreFailsFailsTheRunAfterTheOtherLanesFinish() {
        MemoryStore store = new MemoryStore(40, 17);

        assertThatThrownBy(() -> service(store, task -> new DeliveryResult(true, 200, 1, null))
                .execSettlementNotifyJob())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("17");
        // The other three lanes ran their whole share (30 tasks); the failing lane stopped at 17 after 1, 5, 9, 13.
        // Nothing is left claimed but unfinished: the run returned only after every lane had ended.
        assertThat(store.finished).hasSize(34).doesNotContain(17L, 21L);
        assertThat(store.claimed).containsExactlyInAnyOrderElementsOf(store.finished);
    }

    private SettlementNotifyService service(INotifyTaskStore store, INotifyGateway gateway) {
        return new SettlementNotifyService(store, gateway, new NotifyBackoff(List.of(Duration.ofMinutes(1)), 0, () -> 0.5),
                Clock.systemUTC(), "w", Duration.ofSeconds(60), 100, Duration.ofSeconds(30), lanes, 4);
    }

    /** Due tasks 1..n; claiming {@code failOn} throws, as a lost database connection would. */
    private static final class MemoryStore implements INotifyTaskStore {
        private final Set<Long> due = ConcurrentHashMap.newKeySet();
        final Set<Long> claimed = ConcurrentHashMap.newKeySet();
        final Set<Long> finished = ConcurrentHashMap.newKeySet();
        private final long failOn;

        MemoryStore(int n, long failOn) {
            for (long id = 1; id <= n; id++) {
                due.add(id);
            }
            this.failOn = failOn;
        }

        @Override
        public List<Long> dueTaskIds(Instant now, int shardIndex, int shardTotal, int limit) {
            return new ArrayList<>(due).stream().filter(id -> !claimed.contains(id)).sorted().limit(limit).toList();
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
            return NotifyTaskVO.builder().id(taskId).teamId("t" + taskId).notifyCount(0).build();
        }

        @Override
        public void finishAttempt(NotifyTaskVO task, String worker, Instant attemptTime, DeliveryResult result,
                                  int newStatus, Instant nextAttemptTime) {
            due.remove(task.getId());
            finished.add(task.getId());
        }
    }
}
