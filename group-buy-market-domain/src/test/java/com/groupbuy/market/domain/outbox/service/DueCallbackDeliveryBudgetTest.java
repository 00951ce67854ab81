package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.domain.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each HTTP send starts only while its own budget (the send window plus its body at the minimum send rate) fits in what
 * is left of its lease: a big body that no longer fits is released unsent under its own token, no try used, and the
 * next claim sends it on a fresh lease; a small one after it still goes. With the window alone (an older rule) the big
 * one started, and its call, bounded by the same budget at the gateway, could outlast the lease; kept leased (the rule
 * before the release), it waited out its lease, up to a minute, before any claim could take it.
 */
class DueCallbackDeliveryBudgetTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofSeconds(12);
    /** 1,000 B/s: a 30,000-byte body needs 12 s + 30 s. */
    private static final SendBudget BUDGET = new SendBudget(WINDOW, 1_000, Duration.ofSeconds(48));

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aBigBodyStartsOnlyWhileItsWholeBudgetFitsTheLease(int concurrency) {
        // Each send takes 25 s of the clock: the second starts 25 s into the lease, 35 s left.
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, 100), task(2, 30_000), task(3, 100)));
        List<Long> sent = new CopyOnWriteArrayList<>();
        INotifyGateway gateway = deliveringIn25s(clock, sent);
        DueCallbackDeliveryService service = service(
                store, gateway, clock, settings().httpConcurrency(concurrency).sendBudget(BUDGET));

        service.deliverAllDue();

        // The same run: 1 and 3 on the first lease, 2 released and sent on the next claim's fresh lease.
        assertThat(sent).containsExactly(1L, 3L, 2L);
        assertThat(store.released).containsExactly(2L);
        assertThat(store.claims).isEqualTo(3);
        assertThat(store.leases.get(1)).isAfter(store.leases.get(0));
        assertThat(store.finished)
                .extracting(NotifyAttemptOutcome::task)
                .extracting(NotifyTaskVO::getId)
                .containsExactlyInAnyOrder(1L, 3L, 2L);
        // Released, not deferred: no attempt, no backoff, its state and due time as they were.
        assertThat(store.putBack).isEmpty();
    }

    @Test
    void aTaskWhoseLeaseWasTakenOverIsNeitherSentNorReleased() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, 100), task(2, 30_000)));
        store.leaseLost = true;
        List<Long> sent = new CopyOnWriteArrayList<>();
        INotifyGateway gateway = deliveringIn25s(clock, sent);

        service(store, gateway, clock, settings().sendBudget(BUDGET)).deliverAllDue();

        assertThat(sent).containsExactly(1L);
        assertThat(store.released).isEmpty();
        assertThat(store.claims).isEqualTo(2);
    }

    @Test
    void aSendNoFreshLeaseCouldHoldStaysLeased() {
        // A send window of the whole lease: nothing fits a lease the claim already began. Released, the task would be
        // claimed and released again at once until the run's budget ended.
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, 100)));
        INotifyGateway gateway = task -> {
            throw new AssertionError("nothing fits");
        };
        // Each claim takes a millisecond of the clock.
        store.onClaim = () -> clock.advance(Duration.ofMillis(1));
        service(store, gateway, clock, settings().sendWindow(LEASE)).deliverAllDue();

        assertThat(store.released).isEmpty();
        assertThat(store.claims).isEqualTo(2);
    }

    /**
     * A send whose budget and a send window to spare exactly fill a fresh lease (36 s of body + 12 s window, + 12 s =
     * 60 s) is released when it no longer fits its first lease, and sent on the next claim's fresh one.
     */
    @Test
    void aSendThatExactlyFillsAFreshLeaseIsReleasedAndSentOnIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, 100), task(2, 36_000)));
        List<Long> sent = new CopyOnWriteArrayList<>();
        INotifyGateway gateway = deliveringIn25s(clock, sent);

        service(store, gateway, clock, settings().sendBudget(BUDGET)).deliverAllDue();

        assertThat(store.released).containsExactly(2L);
        assertThat(sent).containsExactly(1L, 2L);
    }

    /** A run's summary counts each recorded outcome once under its own state: delivered, retried or failed. */
    @Test
    void theRunCountsEachRecordedOutcomeUnderItsState() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
        OnePageStore store = new OnePageStore(List.of(task(1, 100), task(2, 100), task(3, 100), task(4, 100)));
        INotifyGateway gateway = task -> switch ((int) task.getId()) {
            case 1 -> new DeliveryResult(true, 200, 1, null);
            case 2, 3 -> new DeliveryResult(false, 500, 1, "HTTP 500");
            default -> DeliveryResult.undeliverable(1, "no such partner");
        };

        NotifyRunSummary run = service(store, gateway, clock, settings()).deliverAllDue();

        assertThat(run).isEqualTo(new NotifyRunSummary(4, 1, 2, 1));
    }

    /** A gateway that delivers each task, noting it in {@code sent}, in 25 s of the clock. */
    private static INotifyGateway deliveringIn25s(MutableClock clock, List<Long> sent) {
        return task -> {
            sent.add(task.getId());
            clock.advance(Duration.ofSeconds(25));
            return new DeliveryResult(true, 200, 1, null);
        };
    }

    /** One lane, a lease of {@link #LEASE} and a send window of {@link #WINDOW}, until the test sets otherwise. */
    private static DeliverySettings.Builder settings() {
        return DeliverySettings.builder(LEASE, 100, Duration.ofMinutes(10)).sendWindow(WINDOW);
    }

    private static DueCallbackDeliveryService service(
            OnePageStore store, INotifyGateway gateway, MutableClock clock, DeliverySettings.Builder settings) {
        return DeliveryServices.onCallingThread(store, gateway, clock, settings.build());
    }

    private static NotifyTaskVO task(long id, int bodyBytes) {
        return NotifyTaskVO.builder()
                .id(id)
                .teamId("t" + id)
                .notifyType("HTTP")
                .notifyUrl("http://partner.example/cb")
                .body("x".repeat(bodyBytes))
                .claimToken("token" + id)
                .build();
    }
}
