package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.DelayLeg;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A check that arrives at its own deadline while its team or lock is not yet due under the settings of now (a restart
 * lengthened {@code gbm.timeout.expiry-grace}, the unpaid timeout or a payment grace since it was written) goes back
 * into a delay lane for the new due time, through the close-check publisher. On main it was acknowledged ("team no
 * longer open; nothing to do", although the team was open; "left to the polling job" for a lock) and the polling job
 * closed it a backstop margin late, counted "found late" although no check was lost.
 */
class CloseCheckGraceGrownTest {

    /** The expiry grace the team checks below were written under. */
    private static final Duration GRACE_THEN = Duration.ofSeconds(60);

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    private final List<NotifyTaskVO> published = new ArrayList<>();
    private boolean brokerConfirms = true;

    @Test
    void aTeamCheckWrittenUnderAShorterGraceGoesBackIntoALaneForTheGraceOfNow_andFailsTheTeamThen() {
        Instant end = millis(Instant.now().minus(GRACE_THEN).minusMillis(10));
        store.openTeam("t-1", 3, end, "u1");
        CloseCheckService service = service(Duration.ofMinutes(10), Duration.ofMinutes(15));

        ConsumeOutcome outcome = service.consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.teams.get("t-1").status)
                .as("not failed before its end + the grace of now")
                .isEqualTo(TeamStatus.OPEN.code());
        Instant due = end.plus(Duration.ofMinutes(10));
        assertThat(published).hasSize(1);
        NotifyTaskVO again = published.get(0);
        // About 540 s left: a hop of 512 s (the longest hop lane not beyond it), named after the due time and the hop.
        assertThat(again.getWebhookId()).isEqualTo("msg-t1@" + due.toEpochMilli() + "~512");
        assertThat(again.getNotifyType()).isEqualTo(NotifyTarget.DELAY);
        assertThat(again.getNotifyCategory()).isEqualTo(CloseCheckVO.Kind.TEAM_EXPIRY.category());
        assertThat(delayMs(again)).as("the hop lane's length").isEqualTo(512_000);
        assertThat(closeAt(again)).as("back before its due time").isBefore(due);

        // The check published again arrives at its time: the team is due now, and fails.
        store.teams.get("t-1").validEnd =
                Instant.now().minus(Duration.ofMinutes(10)).minusMillis(10);
        ConsumeOutcome then = service.consume(
                again.getWebhookId(),
                "q",
                again.getBody(),
                CloseCheckVO.teamExpiry("t-1", Instant.now().minusMillis(5), Duration.ZERO),
                null);

        assertThat(then.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(published).as("published again once, no more").hasSize(1);
    }

    @Test
    void aTeamNoLongerOpenIsLeftAloneAndNotPublishedAgain() {
        Instant end = millis(Instant.now().minus(GRACE_THEN).minusMillis(10));
        store.openTeam("t-1", 3, end, "u1").status = TeamStatus.COMPLETE.code();

        ConsumeOutcome outcome = service(Duration.ofMinutes(10), Duration.ofMinutes(15))
                .consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.COMPLETE.code());
        assertThat(published).isEmpty();
    }

    @Test
    void aTeamDueUnderTheGraceOfNowWithinTheEarlyWaitIsWaitedForAndFailed() {
        // Due under a grace of 60.3 s: 300 ms after the check, within the early wait.
        Instant end = millis(Instant.now().minus(GRACE_THEN).minusMillis(10));
        store.openTeam("t-1", 3, end, "u1");

        ConsumeOutcome outcome = service(GRACE_THEN.plusMillis(300), Duration.ofMinutes(15))
                .consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(published).isEmpty();
    }

    /**
     * A consumer thread interrupted (the listener container stopping) while a check waits for its lock to be due gives
     * up the wait: the lock is not closed early, its check goes back into a lane for its due time, and the thread stays
     * interrupted for the container to see.
     */
    @Test
    void anInterruptedWaitLeavesTheLockLockedAndPublishesItsCheckAgain() {
        // A clock that stands still: the lock stays 300 ms from due however slowly the test runs.
        Instant now = millis(Instant.now());
        store.openTeam("t-1", 3, now.plus(Duration.ofHours(1)), "u1");
        // Due under the timeout of now 300 ms after the check: within the early wait.
        Instant lockTime = now.minus(Duration.ofMinutes(15)).plusMillis(300);
        store.order("u1").lockTime = lockTime;
        Instant due = lockTime.plus(Duration.ofMinutes(15));
        CloseCheckService service = service(GRACE_THEN, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));

        Thread.currentThread().interrupt();
        ConsumeOutcome outcome = service.consume(
                "msg-u1", "q", "{}", CloseCheckVO.unpaidOrder("t-1", "o-u1", due, Duration.ofMinutes(15)), null);
        boolean stillInterrupted = Thread.interrupted();

        assertThat(stillInterrupted).as("the interrupt is kept").isTrue();
        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(published).extracting(NotifyTaskVO::getWebhookId).containsExactly("msg-u1@" + due.toEpochMilli());
    }

    @Test
    void anUnpaidCheckWrittenUnderAShorterTimeoutGoesBackIntoALaneForTheTimeoutOfNow() {
        store.openTeam("t-1", 3, Instant.now().plus(Duration.ofHours(1)), "u1");
        Instant lockTime = millis(Instant.now().minus(Duration.ofMinutes(5)).minusMillis(10));
        store.order("u1").lockTime = lockTime;

        ConsumeOutcome outcome = service(GRACE_THEN, Duration.ofMinutes(15))
                .consume(
                        "msg-u1",
                        "q",
                        "{}",
                        CloseCheckVO.unpaidOrder(
                                "t-1", "o-u1", lockTime.plus(Duration.ofMinutes(5)), Duration.ofMinutes(5)),
                        null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(published).hasSize(1);
        Instant due = lockTime.plus(Duration.ofMinutes(15));
        assertThat(published.get(0).getWebhookId()).isEqualTo("msg-u1@" + due.toEpochMilli() + "~512");
        assertThat(published.get(0).getNotifyCategory()).isEqualTo(CloseCheckVO.Kind.UNPAID_ORDER.category());
        assertThat(published.get(0).getBody()).contains("\"orderId\":\"o-u1\"");
        assertThat(delayMs(published.get(0))).isEqualTo(512_000);
    }

    /**
     * A hop's deadline is whole milliseconds, rounded up: read at a clock between two milliseconds, the check published
     * again never names a time before its hop's end (truncated, it came back a fraction of a millisecond early).
     */
    @Test
    void aHopsDeadlineIsRoundedUpToTheMillisecondNeverBeforeItsEnd() {
        Instant now = Instant.parse("2030-01-01T00:00:00.000500Z");
        store.openTeam("t-1", 3, now.plus(Duration.ofHours(1)), "u1");
        store.order("u1").lockTime = millis(now.minus(Duration.ofMinutes(5)));
        Instant due = store.order("u1").lockTime.plus(Duration.ofMinutes(15));

        service(GRACE_THEN, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC))
                .consume(
                        "msg-u1",
                        "q",
                        "{}",
                        CloseCheckVO.unpaidOrder("t-1", "o-u1", due, Duration.ofMinutes(15)),
                        null);

        assertThat(published).hasSize(1);
        assertThat(delayMs(published.get(0))).isEqualTo(512_000);
        assertThat(closeAt(published.get(0))).isEqualTo(Instant.parse("2030-01-01T00:08:32.001Z"));
    }

    /**
     * The broker did not confirm the check published again: a failed attempt (the delivery comes back and publishes
     * the same message again), never acknowledged as handled.
     */
    @Test
    void aCheckNotPublishedAgainIsAFailedAttempt() {
        Instant end = millis(Instant.now().minus(GRACE_THEN).minusMillis(10));
        store.openTeam("t-1", 3, end, "u1");
        brokerConfirms = false;
        CloseCheckService service = service(Duration.ofMinutes(10), Duration.ofMinutes(15));

        ConsumeOutcome outcome = service.consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.RETRY);
        assertThat(outcome.reason()).contains("not published again").contains("no confirm");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());

        brokerConfirms = true;
        service.consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);
        assertThat(published)
                .extracting(NotifyTaskVO::getWebhookId)
                .as("the same message id both times: its consumption record runs it once")
                .containsExactly(
                        "msg-t1@" + end.plus(Duration.ofMinutes(10)).toEpochMilli() + "~512",
                        "msg-t1@" + end.plus(Duration.ofMinutes(10)).toEpochMilli() + "~512");
    }

    /**
     * A grace grown beyond what a lane carries (RabbitMQ: 2^32 - 1 ms) is reached in hops of the longest hop lane (2^22
     * s), each named by how many of its length are left.
     */
    @Test
    void aDueTimeBeyondTheLanesIsReachedInHopsOfTheLongestHopLane() {
        Instant end = millis(Instant.now().minus(GRACE_THEN).minusMillis(10));
        store.openTeam("t-1", 3, end, "u1");
        Instant before = Instant.now();

        service(Duration.ofDays(365), Duration.ofMinutes(15))
                .consume("msg-t1", "q", "{}", teamCheck(end.plus(GRACE_THEN)), null);

        assertThat(published).hasSize(1);
        assertThat(delayMs(published.get(0))).isEqualTo(DelayLeg.LONGEST_HOP.toMillis());
        assertThat(closeAt(published.get(0)))
                .isBetween(
                        before.plus(DelayLeg.LONGEST_HOP).minusMillis(1),
                        Instant.now().plus(DelayLeg.LONGEST_HOP).plusMillis(1));
        assertThat(published.get(0).getWebhookId())
                .isEqualTo("msg-t1@" + end.plus(Duration.ofDays(365)).toEpochMilli() + "~4194304x7");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());
    }

    @Test
    void anIdPublishedAgainReplacesItsEarlierDueAndFitsTheRecord() {
        Instant at = Instant.ofEpochMilli(1_900_000_000_000L);

        assertThat(CloseCheckService.againId("w1", at, null)).isEqualTo("w1@1900000000000");
        assertThat(CloseCheckService.againId("w1@1800000000000", at, null)).isEqualTo("w1@1900000000000");
        assertThat(CloseCheckService.againId("w1@1800000000000~512", at, "64")).isEqualTo("w1@1900000000000~64");
        assertThat(CloseCheckService.againId("w1@1800000000000~4194304x3", at, "4194304x2"))
                .isEqualTo("w1@1900000000000~4194304x2");
        assertThat(CloseCheckService.againId("x".repeat(64), at, null)).isEqualTo("x".repeat(50) + "@1900000000000");
    }

    /**
     * A message that left its lane before its hop's end (a policy's TTL on the lanes) would be published again under
     * its own id, whose record is done: the copy takes a count instead, one more at each cut, and a hop that ran its
     * length drops it.
     */
    @Test
    void anIdCutShortAndPublishedAgainForTheSameHopTakesACount() {
        Instant at = Instant.ofEpochMilli(1_900_000_000_000L);

        assertThat(CloseCheckService.againId("w1@1900000000000~8", at, "8")).isEqualTo("w1@1900000000000~8.1");
        assertThat(CloseCheckService.againId("w1@1900000000000~8.1", at, "8")).isEqualTo("w1@1900000000000~8.2");
        assertThat(CloseCheckService.againId("w1@1900000000000", at, null)).isEqualTo("w1@1900000000000.1");
        assertThat(CloseCheckService.againId("w1@1900000000000.1", at, null)).isEqualTo("w1@1900000000000.2");
        assertThat(CloseCheckService.againId("w1@1900000000000~8.3", at, "2")).isEqualTo("w1@1900000000000~2");
        assertThat(CloseCheckService.againId("x".repeat(64) + "@1900000000000", at, null))
                .isEqualTo("x".repeat(48) + "@1900000000000.1");
    }

    /** As the database stores times: whole milliseconds. */
    private static Instant millis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    private static CloseCheckVO teamCheck(Instant closeAt) {
        return CloseCheckVO.teamExpiry("t-1", closeAt, Duration.ofMinutes(16));
    }

    /** The deadline in a published check's body. */
    static Instant closeAt(NotifyTaskVO task) {
        return Instant.ofEpochMilli(field(task, "closeAt"));
    }

    private static long delayMs(NotifyTaskVO task) {
        return field(task, "delayMs");
    }

    private static long field(NotifyTaskVO task, String name) {
        return Long.parseLong(task.getBody().replaceAll(".*\"" + name + "\":(\\d+).*", "$1"));
    }

    private CloseCheckService service(Duration expiryGraceNow, Duration unpaidTimeoutNow) {
        return service(expiryGraceNow, unpaidTimeoutNow, Clock.systemUTC());
    }

    private CloseCheckService service(Duration expiryGraceNow, Duration unpaidTimeoutNow, Clock clock) {
        CloseCheckPolicy policy = new CloseCheckPolicy(true, unpaidTimeoutNow, expiryGraceNow, PaymentGrace.none());
        ITeamPlaceReservation reservation = CloseCheckSettingsOfNowTest.noPlaces();
        TradeRefundService refunds = CloseCheckSettingsOfNowTest.refunds(store, reservation);
        TradeTimeoutService timeouts = new TradeTimeoutService(
                store,
                refunds,
                reservation,
                id -> {},
                clock,
                policy,
                Duration.ofSeconds(30),
                100,
                Duration.ofSeconds(50),
                null,
                OutageLog.NONE,
                new RunStop());
        return new CloseCheckService(
                new CloseCheckServiceTest.Records(),
                store,
                refunds,
                timeouts,
                policy,
                clock,
                3,
                Duration.ofSeconds(5),
                task -> {
                    published.add(task);
                    return brokerConfirms
                            ? new DeliveryResult(true, null, 0, null)
                            : new DeliveryResult(
                                    false, null, 0, "AMQP confirm not received within 3000 ms: no confirm");
                });
    }
}
