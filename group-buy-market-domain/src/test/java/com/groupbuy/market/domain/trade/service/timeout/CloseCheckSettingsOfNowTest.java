package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An unpaid lock's close check carries the deadline of the settings its lock was written under; the consumer closes by
 * the settings of now, as the polling job does. After a restart that lengthened the unpaid timeout, gave the partner a
 * payment grace or unset the timeout, the checks already in the lanes closed their locks at the old deadline, and a
 * buyer paying inside the new one was answered E0208 ("refund the buyer").
 */
class CloseCheckSettingsOfNowTest {

    private static final Instant END = Instant.parse("2030-01-01T00:00:00Z");
    /** The unpaid timeout the checks below were written under. */
    private static final Duration THEN = Duration.ofMinutes(15);

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    /** What the consumer published again into the delay lanes. */
    private final List<NotifyTaskVO> published = new ArrayList<>();

    @Test
    void aCheckWrittenUnderAShorterTimeoutLeavesTheLockToTheTimeoutOfNow() {
        store.openTeam("t-1", 3, END, "u1");

        ConsumeOutcome outcome = deliver(policy(Duration.ofMinutes(30), PaymentGrace.none()), "u1");

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(publishedAgainFor())
                .as("its check goes back into a lane for the deadline of now, not to the backstop")
                .containsExactly(store.order("u1").lockTime.plus(Duration.ofMinutes(30)));
    }

    @Test
    void aCheckWrittenBeforeTheTimeoutWasUnsetLeavesTheLockToItsTeam() {
        store.openTeam("t-1", 3, END, "u1");

        deliver(policy(null, PaymentGrace.none()), "u1");

        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(published)
                .as("no deadline of its own now: its team's check closes it")
                .isEmpty();
    }

    /**
     * A lock whose lock time was not read has no deadline to judge: its check is handled (not retried to the dead
     * letters), the lock left locked for the polling job and nothing published again.
     */
    @Test
    void aCheckOfALockWithNoLockTimeReadLeavesItLockedAndIsHandled() {
        store.openTeam("t-1", 3, END, "u1");
        CloseCheckVO check =
                CloseCheckVO.unpaidOrder("t-1", "o-u1", Instant.now().minusMillis(10), THEN);

        ConsumeOutcome outcome = service(policy(THEN, PaymentGrace.none())).consume("msg-u1", "q", "{}", check, null);

        assertThat(outcome.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(published).isEmpty();
    }

    @Test
    void aCheckWrittenBeforeItsPartnerWasGivenAGraceLeavesTheLockToTheGrace() {
        store.openTeam("t-1", 3, END, "u1");

        deliver(
                policy(THEN, new PaymentGrace(Duration.ZERO, Map.of("s01", Map.of("c01", Duration.ofMinutes(10))))),
                "u1");

        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(publishedAgainFor())
                .containsExactly(store.order("u1").lockTime.plus(THEN).plusSeconds(600));
    }

    @Test
    void aCheckUnderUnchangedOrShorterSettingsClosesItsLock() {
        store.openTeam("t-1", 3, END, "u1", "u2");

        deliver(policy(THEN, PaymentGrace.none()), "u1");
        deliver(policy(Duration.ofMinutes(5), PaymentGrace.none()), "u2");

        assertThat(store.order("u1").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(published).isEmpty();
    }

    /**
     * Anyone who can publish to the close-check queue writes a check's deadline and length: a lock taken a minute ago
     * under a 15-minute timeout stays locked whatever its check says (a past deadline without a length, or a length
     * reaching back before the lock), and the check goes back into a lane for the lock's own deadline.
     */
    @Test
    void aForgedCheckNamingAPastDeadlineLeavesAFreshLockLocked() {
        store.openTeam("t-1", 3, END, "u1", "u2");
        store.order("u1").lockTime = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        store.order("u2").lockTime = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        CloseCheckService service = service(policy(THEN, PaymentGrace.none()));

        ConsumeOutcome noLength = service.consume(
                "forged-1",
                "q",
                "{}",
                CloseCheckVO.unpaidOrder("t-1", "o-u1", Instant.now().minusSeconds(3_600), Duration.ZERO),
                null);
        ConsumeOutcome longLength = service.consume(
                "forged-2",
                "q",
                "{}",
                CloseCheckVO.unpaidOrder("t-1", "o-u2", Instant.now(), Duration.ofDays(1)),
                null);

        assertThat(noLength.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(longLength.action()).isEqualTo(ConsumeOutcome.Action.DONE);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(publishedAgainFor())
                .as("each back into a lane for its lock's own deadline, never the forged one")
                .containsExactly(
                        store.order("u1").lockTime.plus(THEN),
                        store.order("u2").lockTime.plus(THEN));
    }

    /**
     * The due times the checks published again are bound for, from their ids ({@code <id>@<due ms>}, then {@code ~<hop>}
     * for a hop short of it: their bodies' deadlines are the hops').
     */
    private List<Instant> publishedAgainFor() {
        return published.stream()
                .map(task ->
                        Instant.ofEpochMilli(Long.parseLong(task.getWebhookId().replaceAll(".*@(\\d+).*", "$1"))))
                .toList();
    }

    private static CloseCheckPolicy policy(Duration unpaidTimeout, PaymentGrace grace) {
        return new CloseCheckPolicy(true, unpaidTimeout, Duration.ofSeconds(60), grace);
    }

    /** The check its lock wrote under a 15-minute timeout and no grace, delivered at its deadline. */
    private ConsumeOutcome deliver(CloseCheckPolicy now, String user) {
        store.order(user).lockTime = Instant.now().minusMillis(10).minus(THEN).truncatedTo(ChronoUnit.MILLIS);
        CloseCheckVO check = CloseCheckVO.unpaidOrder(
                store.order(user).teamId,
                store.order(user).orderId,
                Instant.now().minusMillis(10),
                THEN);
        return service(now).consume("msg-" + user, "q", "{}", check, null);
    }

    /** Redis places that are never there to give back. */
    static ITeamPlaceReservation noPlaces() {
        return (ITeamPlaceReservation) Proxy.newProxyInstance(
                CloseCheckSettingsOfNowTest.class.getClassLoader(),
                new Class<?>[] {ITeamPlaceReservation.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    }

    /** Refunds and closes over {@code store}, every partner allowed, callbacks to nobody. */
    static TradeRefundService refunds(InMemoryTradeStore store, ITeamPlaceReservation reservation) {
        return new TradeRefundService(
                store,
                reservation,
                id -> {},
                (source, channel) -> true,
                new NotifyRoutes(true, Map.of(), (s, c) -> null));
    }

    private CloseCheckService service(CloseCheckPolicy now) {
        return new CloseCheckService(
                new CloseCheckServiceTest.Records(),
                store,
                refunds(store, noPlaces()),
                null,
                now,
                Clock.systemUTC(),
                3,
                Duration.ofSeconds(5),
                task -> {
                    published.add(task);
                    return new DeliveryResult(true, null, 0, null);
                });
    }
}
