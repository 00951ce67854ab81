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
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The close-check relay (#15): a lock's checks are written under the relay's lease, so the relay publishes them
 * without a claim of its own; checks handed over by id (written without a lease) are claimed first; no lease is given
 * without a relay or while its queue is full.
 */
class NotifyDispatcherRelayTest {

    private final ExecutorService relay = Executors.newSingleThreadExecutor();
    private final Store store = new Store();
    private final Gateway gateway = new Gateway();
    private final DueCallbackDeliveryService service = new DueCallbackDeliveryService(
            store,
            gateway,
            new NotifyBackoff(List.of(Duration.ofMinutes(1)), 0, () -> 0.5),
            Clock.systemUTC(),
            "worker-1",
            DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(1))
                    .sendWindow(Duration.ofSeconds(10))
                    .build(),
            Runnable::run,
            new RunStop());

    @AfterEach
    void stop() {
        relay.shutdownNow();
    }

    @Test
    void theRelayLeasesUnderOneTokenOfItsOwnAndPublishesLeasedChecksWithoutAClaim() throws Exception {
        NotifyDispatcher dispatcher =
                new NotifyDispatcher(Executors.newSingleThreadExecutor(), service, relay, 250, 100);
        NotifyLease first = dispatcher.closeCheckLease();
        NotifyLease second = dispatcher.closeCheckLease();
        assertThat(first.holder()).isEqualTo("worker-1");
        assertThat(first.token()).isEqualTo(second.token()).hasSize(36);
        assertThat(first.until()).isAfter(Instant.now().plusSeconds(50));

        dispatcher.dispatchLeasedCloseChecks(List.of(check(1, first), check(2, first)), first);
        relay.submit(() -> {}).get(5, TimeUnit.SECONDS);

        assertThat(gateway.batches).containsExactly(List.of(1L, 2L));
        assertThat(store.claimed).as("no claim: the lock's transaction was it").isEmpty();
        assertThat(store.finished).containsExactly(List.of(1L, 2L));
    }

    /**
     * An OutOfMemoryError thrown while the relay published (a full heap throws it in whichever thread allocates) left
     * the relay marked running for good: no later lock's checks were relayed, each waited out its lease for the
     * compensation job. The relay's next hand-over publishes again.
     */
    @Test
    void anErrorInARelayedBatchLeavesTheRelayRelaying() throws Exception {
        NotifyDispatcher dispatcher =
                new NotifyDispatcher(Executors.newSingleThreadExecutor(), service, relay, 250, 100);
        NotifyLease lease = dispatcher.closeCheckLease();
        gateway.throwNext = new OutOfMemoryError("Java heap space");

        dispatcher.dispatchLeasedCloseChecks(List.of(check(1, lease)), lease);
        relay.submit(() -> {}).get(5, TimeUnit.SECONDS);
        dispatcher.dispatchLeasedCloseChecks(List.of(check(2, lease)), lease);
        relay.submit(() -> {}).get(5, TimeUnit.SECONDS);

        assertThat(gateway.batches).containsExactly(List.of(2L));
        assertThat(store.finished).containsExactly(List.of(2L));
    }

    @Test
    void checksHandedOverByIdAreClaimedFirst() throws Exception {
        NotifyDispatcher dispatcher =
                new NotifyDispatcher(Executors.newSingleThreadExecutor(), service, relay, 250, 100);

        dispatcher.dispatchCloseChecks(List.of(7L));
        relay.submit(() -> {}).get(5, TimeUnit.SECONDS);

        assertThat(store.claimed).containsExactly(List.of(7L));
        assertThat(gateway.batches).containsExactly(List.of(7L));
    }

    @Test
    void noLeaseWithoutARelayOrWhileItsQueueIsFull() {
        assertThat(new NotifyDispatcher(Executors.newSingleThreadExecutor(), service).closeCheckLease())
                .isNull();

        // A relay that has not run yet: its queue holds what was handed over.
        NotifyDispatcher dispatcher =
                new NotifyDispatcher(Executors.newSingleThreadExecutor(), service, new Idle(), 250, 1);
        NotifyLease lease = dispatcher.closeCheckLease();
        assertThat(lease).isNotNull();
        dispatcher.dispatchLeasedCloseChecks(List.of(check(1, lease)), lease);

        assertThat(dispatcher.closeCheckLease())
                .as("written unleased, so the compensation job may take them at once")
                .isNull();
    }

    private static NotifyTaskVO check(long id, NotifyLease lease) {
        return NotifyTaskVO.builder()
                .id(id)
                .webhookId("msg_" + id)
                .teamId("t" + id)
                .notifyType(NotifyTarget.DELAY)
                .notifyCount(0)
                .claimToken(lease.token())
                .build();
    }

    /** Claims whatever it is asked for (a check by id), records claims and finished pages. */
    private static final class Store implements INotifyTaskStore {
        final List<List<Long>> claimed = Collections.synchronizedList(new ArrayList<>());
        final List<List<Long>> finished = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<NotifyTaskVO> claimAll(List<Long> taskIds, String worker, Instant now, Instant leaseUntil) {
            claimed.add(taskIds);
            return taskIds.stream()
                    .map(id -> NotifyTaskVO.builder()
                            .id(id)
                            .notifyType(NotifyTarget.DELAY)
                            .claimToken("claimed")
                            .build())
                    .toList();
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
            throw new AssertionError("close checks are not claimed one by one");
        }

        @Override
        public List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
            finished.add(outcomes.stream().map(o -> o.task().getId()).toList());
            return outcomes.stream().map(o -> true).toList();
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

    /** Confirms every batch. */
    private static final class Gateway implements INotifyGateway {
        final List<List<Long>> batches = Collections.synchronizedList(new ArrayList<>());
        /** The next batch throws this (an Error: what a full heap throws anywhere). */
        volatile Error throwNext;

        @Override
        public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
            throw new AssertionError("close checks go out in batches");
        }

        @Override
        public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
            Error thrown = throwNext;
            if (thrown != null) {
                throwNext = null;
                throw thrown;
            }
            batches.add(tasks.stream().map(NotifyTaskVO::getId).toList());
            return tasks.stream()
                    .map(t -> new DeliveryResult(true, null, 1, null))
                    .toList();
        }
    }

    /** An executor that takes tasks and never runs them. */
    private static final class Idle extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {}

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
