package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page mixing MQ and HTTP tasks: the HTTP tasks are sent one by one as before, the MQ tasks in one batch call, the
 * batch only if its window still fits in the lease, and the page's outcomes recorded in one call. Tasks written
 * already leased (#15 close checks) go the same way without a claim.
 */
class DueCallbackDeliveryBatchTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration SEND_WINDOW = Duration.ofSeconds(12);
    private static final Duration BATCH_WINDOW = Duration.ofSeconds(7);

    @Test
    void theMqTasksOfAPageGoOutInOneBatchAndTheHttpTasksOneByOne() {
        OnePageStore store = new OnePageStore(
                List.of(task(1, "MQ"), task(2, "HTTP"), task(3, "MQ"), task(4, "MQ"), task(5, "HTTP")));
        Recorder gateway = new Recorder(new MutableClock(Instant.parse("2026-12-01T00:00:00Z")), Duration.ZERO);

        NotifyRunSummary run = service(store, gateway, gateway.clock).deliverAllDue();

        assertThat(gateway.oneByOne).containsExactly(2L, 5L);
        assertThat(gateway.batches).containsExactly(List.of(1L, 3L, 4L));
        assertThat(run.claimed()).isEqualTo(5);
        assertThat(run.delivered()).isEqualTo(5);
        assertThat(store.finishCalls).as("one write for the page").containsExactly(5);
        assertThat(store.claimLimits).containsExactly(100, 4);
    }

    @Test
    void aBatchWhoseWindowNoLongerFitsInTheLeaseIsReleasedForAFreshLease() {
        // Four HTTP sends of 13 s each use 52 s of the 60 s lease: 8 s are left, a 7 s batch window still fits;
        // at 14 s each, 4 s are left: the MQ tasks are released unsent and the next claim sends them on a fresh lease
        // (kept leased, they waited out this one).
        for (long httpSeconds : new long[] {13, 14}) {
            OnePageStore store = new OnePageStore(List.of(
                    task(1, "HTTP"), task(2, "HTTP"), task(3, "HTTP"), task(4, "HTTP"), task(5, "MQ"), task(6, "MQ")));
            MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
            Recorder gateway = new Recorder(clock, Duration.ofSeconds(httpSeconds));

            NotifyRunSummary run = service(store, gateway, clock).deliverAllDue();

            // Every HTTP send started with its 12 s window inside the lease (the last at 39 s or 42 s).
            assertThat(gateway.oneByOne).hasSize(4);
            assertThat(gateway.batches).containsExactly(List.of(5L, 6L));
            assertThat(run.claimed()).isEqualTo(6);
            if (httpSeconds == 13) {
                assertThat(store.released).isEmpty();
                assertThat(store.claims).isEqualTo(2);
            } else {
                assertThat(store.released).containsExactly(5L, 6L);
                assertThat(store.claims).isEqualTo(3);
            }
        }
    }

    @Test
    void tasksWrittenUnderALeaseAreSentAsOnePageWithoutAClaim() {
        OnePageStore store = new OnePageStore(List.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        Recorder gateway = new Recorder(clock, Duration.ZERO);
        DueCallbackDeliveryService service = service(store, gateway, clock);

        NotifyLease lease = service.leaseFromNow("relay-token");
        assertThat(lease)
                .isEqualTo(new NotifyLease("w", "relay-token", clock.instant().plus(LEASE)));
        NotifyRunSummary run = service.deliverLeased(List.of(task(1, "DELAY"), task(2, "DELAY")), lease.until());

        assertThat(gateway.batches).containsExactly(List.of(1L, 2L));
        assertThat(store.claimLimits)
                .as("no claim: the writer's transaction was it")
                .isEmpty();
        assertThat(store.finishCalls).as("one write for the page").containsExactly(2);
        assertThat(run.delivered()).isEqualTo(2);
    }

    @Test
    void tasksWhoseLeaseEndsBeforeTheBatchWindowAreLeftToTheJob() {
        OnePageStore store = new OnePageStore(List.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        Recorder gateway = new Recorder(clock, Duration.ZERO);

        NotifyRunSummary run = service(store, gateway, clock)
                .deliverLeased(List.of(task(1, "DELAY")), clock.instant().plus(BATCH_WINDOW.minusSeconds(1)));

        assertThat(gateway.batches).isEmpty();
        assertThat(store.finishCalls).isEmpty();
        assertThat(run.claimed()).isZero();
    }

    /**
     * One task whose send throws (here task 3, in an MQ batch and again on its own; task 6 throws as an HTTP send) is
     * that task's failed attempt: the batch that threw is sent again one by one, every other task of the page is
     * delivered and recorded in the page's one write, and the run does not throw. On main the run threw and nothing
     * of the page was recorded.
     */
    @Test
    void aSendThatThrowsIsItsOwnTasksFailedAttemptAndTheRestOfThePageIsRecorded() {
        OnePageStore store = new OnePageStore(
                List.of(task(1, "MQ"), task(2, "HTTP"), task(3, "MQ"), task(4, "MQ"), task(6, "HTTP")));
        INotifyGateway gateway = new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                if (task.getId() == 3 || task.getId() == 6) {
                    throw new IllegalArgumentException("Empty key");
                }
                return new DeliveryResult(true, 200, 1, null);
            }

            @Override
            public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
                throw new IllegalArgumentException("Empty key");
            }
        };

        NotifyRunSummary run = service(store, gateway, new MutableClock(Instant.parse("2026-12-01T00:00:00Z")))
                .deliverAllDue();

        assertThat(run.claimed()).isEqualTo(5);
        assertThat(run.delivered()).isEqualTo(3);
        assertThat(run.retried()).isEqualTo(2);
        assertThat(store.finishCalls).as("one write for the page").containsExactly(5);
        assertThat(store.finished)
                .filteredOn(o -> !o.result().delivered())
                .extracting(
                        o -> o.task().getId(),
                        o -> o.newStatus(),
                        o -> o.result().error())
                .containsExactlyInAnyOrder(
                        tuple(6L, NotifyTaskStatus.RETRY, "send failed: IllegalArgumentException: Empty key"),
                        tuple(3L, NotifyTaskStatus.RETRY, "send failed: IllegalArgumentException: Empty key"));
    }

    /**
     * A batch that threw is sent again one by one, each task only while the batch window still fits its lease: the
     * rest are released and sent on the next claim's fresh lease, never past the lease they were claimed under.
     */
    @Test
    void aThrownBatchSentOneByOneStartsEachTaskOnlyWithinTheLease() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, "MQ"), task(2, "MQ"), task(3, "MQ")));
        List<Long> sent = new ArrayList<>();
        INotifyGateway gateway = new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                sent.add(task.getId());
                // 54 s: the next task's 7 s window no longer fits the 60 s lease.
                clock.advance(Duration.ofSeconds(54));
                return new DeliveryResult(true, 200, 1, null);
            }

            @Override
            public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
                throw new IllegalStateException("channel gone");
            }
        };

        NotifyRunSummary run = service(store, gateway, clock).deliverAllDue();

        assertThat(sent).containsExactly(1L, 2L, 3L);
        assertThat(store.released).containsExactly(2L, 3L, 3L);
        assertThat(run.delivered()).isEqualTo(3);
    }

    private static DueCallbackDeliveryService service(INotifyTaskStore store, INotifyGateway gateway, Clock clock) {
        return DeliveryServices.onCallingThread(
                store,
                gateway,
                clock,
                DeliverySettings.builder(LEASE, 100, Duration.ofMinutes(10))
                        .sendWindow(SEND_WINDOW)
                        .batchWindow(BATCH_WINDOW)
                        .build());
    }

    static NotifyTaskVO task(long id, String type) {
        return NotifyTaskVO.builder()
                .id(id)
                .teamId("t" + id)
                .notifyType(type)
                .notifyMq(NotifyTarget.MQ.equals(type) ? "k" : null)
                .notifyCount(0)
                .claimToken("token")
                .build();
    }

    /** Delivers everything; each one-by-one send moves the clock by {@code sendTakes}. */
    private static final class Recorder implements INotifyGateway {
        final MutableClock clock;
        final Duration sendTakes;
        final List<Long> oneByOne = new ArrayList<>();
        final List<List<Long>> batches = new ArrayList<>();

        Recorder(MutableClock clock, Duration sendTakes) {
            this.clock = clock;
            this.sendTakes = sendTakes;
        }

        @Override
        public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
            oneByOne.add(task.getId());
            clock.advance(sendTakes);
            return new DeliveryResult(true, 200, 1, null);
        }

        @Override
        public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
            batches.add(tasks.stream().map(NotifyTaskVO::getId).toList());
            return tasks.stream()
                    .map(t -> new DeliveryResult(true, null, 1, null))
                    .toList();
        }
    }
}
