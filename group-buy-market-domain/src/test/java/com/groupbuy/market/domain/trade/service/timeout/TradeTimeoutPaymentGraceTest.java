package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The polling job's unpaid close honours the payment grace of the order's own partner, the mall whose payment notice
 * it waits for, as the lock's close check does ({@code checksForLock} is given the lock's source and channel). In a
 * team mixed before teams were kept to their partner, a member of another partner than the team's was closed at the
 * team's partner's grace: with no grace for the team's partner and 60 s for the member's, its buyer's payment 30 s
 * after the timeout was answered E0208 ("refund the buyer") by the job, and not by the close check.
 */
class TradeTimeoutPaymentGraceTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final List<MemberOrderView> page = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private final List<String> failing = new ArrayList<>();
    /** Failing locks whose close commits before it throws (its answer lost). */
    private final List<String> committedAnyway = new ArrayList<>();
    /** Those closes committed: closed in the store, never paged again. */
    private final List<String> committed = new ArrayList<>();

    /** Locks paid between the page's read and their close: the close finds them no longer unpaid. */
    private final List<String> paidMeanwhile = new ArrayList<>();

    private final List<String> placesGivenBack = new ArrayList<>();
    private final RunStop stop = new RunStop();
    /** The lock whose close the instance's stop begins after (none: no stop). */
    private String stopAfter;

    @Test
    void aMemberOfAMixedTeamIsClosedAtItsOwnPartnersGraceNotTheTeams() {
        // Locked 30 s past the timeout: due for a partner without grace, not yet for one with 60 s.
        Instant lockTime = NOW.minus(TIMEOUT).minusSeconds(30);
        // Team of s01/c01 (no grace): its own member is due; the s02/c02 member (60 s) is not.
        page.add(order("own-of-s01", "s01", "c01", "s01", "c01", lockTime));
        page.add(order("s02-in-s01-team", "s01", "c01", "s02", "c02", lockTime));
        // Team of s02/c02 (60 s): its s01/c01 member (no grace) is due, its own member is not.
        page.add(order("s01-in-s02-team", "s02", "c02", "s01", "c01", lockTime));
        page.add(order("own-of-s02", "s02", "c02", "s02", "c02", lockTime));

        service().execTimeoutCloseJob();

        assertThat(closed).containsExactlyInAnyOrder("own-of-s01", "s01-in-s02-team");
    }

    /**
     * A page of locks that are past the shortest grace but not yet past their own partner's (read first, being older)
     * does not hide the due locks behind it: the job pages past them. It stopped at a page that closed nothing, so a
     * partner with a grace and a page size of unpaid locks within it held every other partner's overdue locks (and
     * their team places) until its own came due: the other partners' timeouts became its grace.
     */
    @Test
    void lockersWithALongerGraceReadFirstDoNotHoldBackTheDueLocksBehindThem() {
        // Two s02/c02 locks (60 s grace) 30 s past the timeout, older than an s01/c01 lock (no grace) 20 s past it.
        page.add(order(
                "s02-first", "s02", "c02", "s02", "c02", NOW.minus(TIMEOUT).minusSeconds(31)));
        page.add(order(
                "s02-second", "s02", "c02", "s02", "c02", NOW.minus(TIMEOUT).minusSeconds(30)));
        page.add(order("s01-due", "s01", "c01", "s01", "c01", NOW.minus(TIMEOUT).minusSeconds(20)));

        service(2).execTimeoutCloseJob();

        assertThat(closed).containsExactly("s01-due");
    }

    /** A close that fails is passed over like a lock in its grace: the locks behind it are still closed. */
    @Test
    void aPageWithAFailedCloseGoesOnToTheNextPage() {
        dueLocksInOrder("a-fails", "b-due", "c-due");
        failing.add("a-fails");

        TimeoutRunSummary run = service(2).execTimeoutCloseJob();

        assertThat(closed).containsExactly("b-due", "c-due");
        assertThat(run.skipped()).isEqualTo(1);
    }

    /** The run's summary (the metrics' count of what the backstop closed) counts the locks closed, not those paid. */
    @Test
    void theRunCountsTheLocksItClosedNotOnePaidMeanwhile() {
        dueLocksInOrder("a-due", "b-paid", "c-due");
        paidMeanwhile.add("b-paid");

        TimeoutRunSummary run = service(2).execTimeoutCloseJob();

        assertThat(closed).containsExactly("a-due", "c-due");
        assertThat(run.closedUnpaid()).isEqualTo(2);
        assertThat(run.skipped()).as("a lock paid meanwhile is no failure").isZero();
    }

    /**
     * A page whose every close failed (the database refusing writes) ends the run, rather than this one paging through
     * the whole backlog failing lock after lock; the next run starts after that page, and the one after that, having
     * read to the end, from the oldest again. Each run read from the oldest, so a page of locks whose close failed
     * every time ended every run, and the due lock behind them was never closed.
     */
    @Test
    void aPageWhoseEveryCloseFailedEndsTheRunAndTheNextRunStartsAfterIt() {
        dueLocksInOrder("a-fails", "b-fails", "c-due");
        failing.add("a-fails");
        failing.add("b-fails");
        TradeTimeoutService service = service(2);

        TimeoutRunSummary run = service.execTimeoutCloseJob();
        assertThat(closed).isEmpty();
        assertThat(run.skipped()).isEqualTo(2);

        TimeoutRunSummary next = service.execTimeoutCloseJob();
        assertThat(closed).as("the lock behind the failing page").containsExactly("c-due");
        assertThat(next.skipped()).isZero();

        assertThat(service.execTimeoutCloseJob().skipped())
                .as("the failing locks tried again")
                .isEqualTo(2);
    }

    /**
     * A close that threw may have committed: the next run reads that order again before paging and gives a closed
     * one's place back (nothing else would: it is no longer among the unpaid locks). Found by mutation testing: the
     * run forgetting the order, or not reading the remembered ones again, survived every unit test.
     */
    @Test
    void aCloseThatThrewButCommittedGetsItsPlaceBackInTheNextRun() {
        dueLocksInOrder("a-lost", "b-due");
        failing.add("a-lost");
        committedAnyway.add("a-lost");
        TradeTimeoutService service = service(3);

        service.execTimeoutCloseJob();
        assertThat(closed).containsExactly("b-due");
        assertThat(placesGivenBack).isEmpty();

        service.execTimeoutCloseJob();
        assertThat(placesGivenBack).containsExactly("t-s01/a-lost");
    }

    /**
     * The local scheduler's look while a console holds our registration: a lock counts as left undone only once it is
     * overdue past every partner's grace (here s02/c02's 60 s) and the takeover bound, so a partner's longer grace never
     * reads as a console that does not run the job.
     */
    @Test
    void aLockIsLeftOverdueOnlyPastTheLongestGraceAndTheTakeoverBound() {
        page.add(order("inside", "s01", "c01", "s01", "c01", NOW.minus(TIMEOUT).minusSeconds(65)));
        assertThat(service().leftOverdueFor(Duration.ofSeconds(10))).isFalse();

        page.add(order("left", "s01", "c01", "s01", "c01", NOW.minus(TIMEOUT).minusSeconds(75)));
        assertThat(service().leftOverdueFor(Duration.ofSeconds(10))).isTrue();
    }

    /**
     * A stop of the instance ends the run before its next lock, mid-page: the scheduler's stop waited for the run to go
     * through its whole backlog (up to Spring's 30 s phase timeout, then the database pool closed under it). What is
     * left stays overdue for the next run.
     */
    @Test
    void aStopEndsTheRunBeforeItsNextLock() {
        dueLocksInOrder("a-due", "b-due", "c-due", "d-due");
        stopAfter = "b-due";

        service(3).execTimeoutCloseJob();

        assertThat(closed).containsExactly("a-due", "b-due");
    }

    /** s01/c01 locks (no grace) 30 s past the timeout, a millisecond apart, in the order given. */
    private void dueLocksInOrder(String... orderIds) {
        Instant lockTime = NOW.minus(TIMEOUT).minusSeconds(30);
        for (int i = 0; i < orderIds.length; i++) {
            page.add(order(orderIds[i], "s01", "c01", "s01", "c01", lockTime.plusMillis(i)));
        }
    }

    private static MemberOrderView order(
            String orderId, String teamSource, String teamChannel, String source, String channel, Instant lockTime) {
        return MemberOrderView.builder()
                .orderId(orderId)
                .userId("u-" + orderId)
                .outTradeNo("out-" + orderId)
                .activityId(7L)
                .orderStatus(OrderStatus.LOCKED)
                .teamId("t-" + teamSource)
                .teamStatus(TeamStatus.OPEN)
                .teamValidStartTime(NOW.minusSeconds(3_600))
                .teamValidEndTime(NOW.plusSeconds(3_600))
                .source(teamSource)
                .channel(teamChannel)
                .orderSource(source)
                .orderChannel(channel)
                .lockTime(lockTime)
                .build();
    }

    private TradeTimeoutService service() {
        return service(100);
    }

    private TradeTimeoutService service(int pageSize) {
        InMemoryTradeStore store = new InMemoryTradeStore() {
            @Override
            public List<MemberOrderView> queryUnpaidLockedBefore(
                    Instant lockedBefore, MemberOrderView after, int shardIndex, int shardTotal, int limit) {
                // In lock order, after the given lock (the order id stands in for the row id here).
                Comparator<MemberOrderView> lockOrder =
                        Comparator.comparing(MemberOrderView::getLockTime).thenComparing(MemberOrderView::getOrderId);
                List<MemberOrderView> due = page.stream()
                        .filter(o -> o.getLockTime().isBefore(lockedBefore))
                        .filter(o -> !closed.contains(o.getOrderId()))
                        .filter(o -> !committed.contains(o.getOrderId()))
                        .filter(o -> after == null || lockOrder.compare(o, after) > 0)
                        .sorted(lockOrder)
                        .toList();
                return due.subList(0, Math.min(limit, due.size()));
            }

            @Override
            public MemberOrderView queryOrderById(String orderId) {
                return page.stream()
                        .filter(o -> o.getOrderId().equals(orderId))
                        .findFirst()
                        .map(o -> committed.contains(orderId)
                                ? o.toBuilder().orderStatus(OrderStatus.CLOSED).build()
                                : o)
                        .orElse(null);
            }

            @Override
            public List<String> queryOpenTeamsEndedBefore(
                    Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit) {
                return List.of();
            }
        };
        TradeRefundService refunds =
                new TradeRefundService(
                        store, null, id -> {}, (s, c) -> true, new NotifyRoutes(true, Map.of(), (s, c) -> null)) {
                    @Override
                    public boolean closeUnpaid(MemberOrderView order) {
                        if (failing.contains(order.getOrderId())) {
                            if (committedAnyway.contains(order.getOrderId())) {
                                committed.add(order.getOrderId());
                            }
                            throw new IllegalStateException("close of " + order.getOrderId() + " failed");
                        }
                        if (paidMeanwhile.contains(order.getOrderId())) {
                            return false;
                        }
                        closed.add(order.getOrderId());
                        if (order.getOrderId().equals(stopAfter)) {
                            stop.stop();
                        }
                        return true;
                    }

                    @Override
                    public boolean givePlaceBackOfClosed(MemberOrderView order) {
                        return order.getOrderStatus() == OrderStatus.CLOSED
                                && placesGivenBack.add(order.getTeamId() + "/" + order.getOrderId());
                    }
                };
        PaymentGrace grace = new PaymentGrace(Duration.ZERO, Map.of("s02", Map.of("c02", Duration.ofSeconds(60))));
        return new TradeTimeoutService(
                store,
                refunds,
                null,
                id -> {},
                Clock.fixed(NOW, ZoneOffset.UTC),
                new CloseCheckPolicy(false, TIMEOUT, Duration.ofSeconds(60), grace),
                Duration.ZERO,
                pageSize,
                Duration.ofSeconds(5),
                null,
                OutageLog.NONE,
                stop);
    }
}
