package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.entity.RefundCommand;
import com.groupbuy.market.domain.trade.model.entity.RefundResultEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.PlacesGivenBack;
import com.groupbuy.market.types.exception.AppException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refund's and the expiry's decisions over an in-memory store (no Spring, no database, no Redis). */
class TradeRefundServiceTest {

    private static final Instant END = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    private final List<Long> dispatched = new ArrayList<>();
    private final List<String> placesGivenBack = new ArrayList<>();
    private TradeRefundService service;

    @BeforeEach
    void setUp() {
        // An MQ-on deployment, HTTP partner with no refund URL: every refund owes exactly its refund event.
        service = new TradeRefundService(
                store,
                PlacesGivenBack.recordedIn(placesGivenBack),
                dispatched::add,
                (source, channel) -> true,
                new NotifyRoutes(true, Map.of(), (s, c) -> null));
    }

    private RefundResultEntity refund(String user) {
        return service.refund(RefundCommand.builder()
                .source("s01")
                .channel("c01")
                .userId(user)
                .outTradeNo("out-" + user)
                .build());
    }

    private void pay(String... users) {
        for (String user : users) {
            store.order(user).status = OrderStatus.PAID.code();
            store.teams.get(store.order(user).teamId).completeCount++;
        }
    }

    @Test
    void anUnpaidLockLeavesItsPlaceAndTheTeamAsItIs() {
        store.openTeam("t-1", 3, END, "u1", "u2");

        assertThat(refund("u1").getCode()).isEqualTo(RefundResultEntity.SUCCESS);

        assertThat(store.order("u1").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(store.teams.get("t-1").lockCount).isEqualTo(1);
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(store.taskKeys()).containsExactly("t-1:trade_unpaid2refund:o-u1:mq");
        assertThat(store.tasks.get("t-1:trade_unpaid2refund:o-u1:mq").getBody())
                .isEqualTo("{\"type\":\"unpaid_unlock\",\"userId\":\"u1\",\"teamId\":\"t-1\",\"activityId\":7,"
                        + "\"orderId\":\"o-u1\",\"outTradeNo\":\"out-u1\"}");
        assertThat(placesGivenBack).containsExactly("t-1/o-u1");
        assertThat(dispatched).hasSize(1);

        assertThat(refund("u1").getCode()).isEqualTo(RefundResultEntity.REPEAT);
        assertThat(store.tasks).hasSize(1);
    }

    @Test
    void aRepeatOfAClosedOrdersRefundGivesItsPlaceBackOnceMore() {
        // Redis gives a place back once per order (a marker), so asking again is safe; it is how a refund answered
        // E0401 after a commit nobody could read back gets its place back when the mall's retry finds it closed.
        store.openTeam("t-1", 3, END, "u1", "u2");
        store.order("u1").status = OrderStatus.CLOSED.code();
        store.teams.get("t-1").lockCount = 1;

        assertThat(refund("u1").getCode()).isEqualTo(RefundResultEntity.REPEAT);

        assertThat(placesGivenBack).containsExactly("t-1/o-u1");
        assertThat(store.tasks).isEmpty();
        assertThat(store.teams.get("t-1").lockCount).isEqualTo(1);
    }

    @Test
    void aPaidMemberLeavingAnOpenTeamGivesBackBothCountsAndTheTeamStaysOpen() {
        store.openTeam("t-1", 3, END, "u1", "u2");
        pay("u1");

        refund("u1");

        assertThat(store.teams.get("t-1").lockCount).isEqualTo(1);
        assertThat(store.teams.get("t-1").completeCount).isZero();
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(store.taskKeys()).containsExactly("t-1:trade_paid2refund:o-u1:mq");
    }

    @Test
    void aFormedTeamStaysFormedWithARefundUntilItsLastPayerLeavesThenFails() {
        store.openTeam("t-1", 2, END, "u1", "u2");
        pay("u1", "u2");
        store.teams.get("t-1").status = TeamStatus.COMPLETE.code();

        refund("u1");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.COMPLETE_WITH_REFUND.code());
        refund("u2");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.teams.get("t-1").completeCount).isZero();
        assertThat(store.teams.get("t-1").lockCount).isZero();
        assertThat(store.taskKeys())
                .containsExactly("t-1:trade_paid_team2refund:o-u1:mq", "t-1:trade_paid_team2refund:o-u2:mq");
    }

    @Test
    void expiryFailsTheTeamClosesItsUnpaidMembersAndTellsEveryOne() {
        store.openTeam("t-1", 3, END, "u1", "u2");
        pay("u1");

        TeamExpiryVO expiry = service.expireTeam("t-1", END.plusMillis(1));

        assertThat(expiry.closedOrderIds()).containsExactly("o-u2");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.teams.get("t-1").lockCount).isEqualTo(1);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.PAID.code());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(store.taskKeys())
                .containsExactly("t-1:trade_paid2refund:o-u1:mq", "t-1:trade_unpaid2refund:o-u2:mq");
        assertThat(expiry.taskIds()).hasSize(2);

        // The paid member's later refund is a paid_unformed one of a failed team; its callback was already owed.
        refund("u1");
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.tasks).hasSize(2);
    }

    @Test
    void expiryDoesNothingBeforeTheEndOrToATeamThatFilled() {
        store.openTeam("t-1", 3, END, "u1");
        assertThat(service.expireTeam("t-1", END)).isNull();
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());

        store.openTeam("t-2", 1, END, "u9");
        pay("u9");
        store.teams.get("t-2").status = TeamStatus.COMPLETE.code();
        assertThat(service.expireTeam("t-2", END.plusSeconds(60))).isNull();
        assertThat(store.tasks).isEmpty();
    }

    @Test
    void closingAnUnpaidLockRefusesAPaidOrder() {
        store.openTeam("t-1", 3, END, "u1");
        pay("u1");
        assertThat(service.closeUnpaid(store.queryOrderById("o-u1"))).isFalse();
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.PAID.code());
    }

    @Test
    void aClosedOrdersRepeatIsARepeatForARefusedPartnerAndEverythingElseIsRefused() {
        store.openTeam("t-1", 3, END, "u1", "u2", "u3");
        pay("u1", "u2");
        refund("u1");
        assertThat(service.closeUnpaid(store.queryOrderById("o-u3"))).isTrue();
        RefundResultEntity paidRepeat = refund("u1");
        RefundResultEntity closedRepeat = refund("u3");
        int tasks = store.tasks.size();
        service = new TradeRefundService(
                store,
                (ITeamPlaceReservation) null,
                dispatched::add,
                (source, channel) -> false,
                new NotifyRoutes(true, Map.of(), (s, c) -> null));

        assertThat(refund("u1")).usingRecursiveComparison().isEqualTo(paidRepeat);
        assertThat(refund("u3")).usingRecursiveComparison().isEqualTo(closedRepeat);
        assertThat(closedRepeat.getCode()).isEqualTo(RefundResultEntity.REPEAT);
        assertThatThrownBy(() -> refund("u2"))
                .isInstanceOf(AppException.class)
                .hasFieldOrPropertyWithValue("code", "E0105");
        assertThatThrownBy(() -> refund("nobody"))
                .isInstanceOf(AppException.class)
                .hasFieldOrPropertyWithValue("code", "E0105");
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.PAID.code());
        assertThat(store.tasks).hasSize(tasks);
    }

    /**
     * "Only a closed order gives its place back", once: a live order found by a close check or the timeout job keeps
     * its place (it is still in the team's lock count); a closed one's place is given back, and the answer says whether
     * this call gave it back. Found by mutation testing: the status guard negated, or the answer fixed, survived.
     */
    @Test
    void onlyAClosedOrderGivesItsPlaceBackAndTheAnswerSaysWhetherThisCallDid() {
        List<String> released = new ArrayList<>();
        ITeamPlaceReservation oncePerOrder = (ITeamPlaceReservation) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ITeamPlaceReservation.class}, (proxy, method, args) -> {
                    if (method.getName().equals("releaseOrder")) {
                        String place = args[0] + "/" + args[1];
                        return !released.contains(place) && released.add(place);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        service = new TradeRefundService(
                store, oncePerOrder, dispatched::add, (s, c) -> true, new NotifyRoutes(true, Map.of(), (s, c) -> null));
        store.openTeam("t-1", 3, END, "u1", "u2", "u3");
        pay("u2");
        store.order("u3").status = OrderStatus.CLOSED.code();

        assertThat(service.givePlaceBackOfClosed(store.queryOrderById("o-u1")))
                .as("locked")
                .isFalse();
        assertThat(service.givePlaceBackOfClosed(store.queryOrderById("o-u2")))
                .as("paid")
                .isFalse();
        assertThat(released).isEmpty();
        assertThat(service.givePlaceBackOfClosed(store.queryOrderById("o-u3")))
                .as("closed")
                .isTrue();
        assertThat(service.givePlaceBackOfClosed(store.queryOrderById("o-u3")))
                .as("again")
                .isFalse();
        assertThat(released).containsExactly("t-1/o-u3");
    }

    /** Redis failing to give a closed order's place back is logged, not thrown, and the answer says none was given. */
    @Test
    void aPlaceRedisCouldNotGiveBackIsNotAnsweredGivenBack() {
        ITeamPlaceReservation down = (ITeamPlaceReservation) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ITeamPlaceReservation.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("redis down");
                });
        service = new TradeRefundService(
                store, down, dispatched::add, (s, c) -> true, new NotifyRoutes(true, Map.of(), (s, c) -> null));
        store.openTeam("t-1", 3, END, "u1");
        store.order("u1").status = OrderStatus.CLOSED.code();

        assertThat(service.givePlaceBackOfClosed(store.queryOrderById("o-u1"))).isFalse();
    }
}
