package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The timeout job's memory of closes that threw: the next run reads each again, and one found closed (its commit had
 * gone through, its answer lost) gets its Redis place back, once; one still locked is left to the run's paging; a read
 * that fails keeps it for the run after. The real lost commit: CloseCommitLostIT.
 */
class UnsureClosesTest {

    /** The orders as the database holds them now, by id. */
    private final Map<String, MemberOrderView> rows = new HashMap<>();

    private final List<String> read = new ArrayList<>();
    private final List<String> givenBack = new ArrayList<>();
    private int readsFailing;

    private final InMemoryTradeStore store = new InMemoryTradeStore() {
        @Override
        public MemberOrderView queryOrderById(String orderId) {
            if (readsFailing > 0) {
                readsFailing--;
                throw new IllegalStateException("database unavailable");
            }
            read.add(orderId);
            return rows.get(orderId);
        }
    };

    private final UnsureCloses unsure = new UnsureCloses(
            store,
            new TradeRefundService(
                    store, null, id -> {}, (s, c) -> true, new NotifyRoutes(true, Map.of(), (s, c) -> null)) {
                @Override
                public boolean givePlaceBackOfClosed(MemberOrderView order) {
                    if (order.getOrderStatus() != OrderStatus.CLOSED) {
                        return false;
                    }
                    givenBack.add(order.getOrderId());
                    return true;
                }
            });

    @Test
    void aCloseFoundCommittedGetsItsPlaceBackOnce() {
        assertThat(placesGivenBackByTwoRunsOfOneNow(OrderStatus.CLOSED)).containsExactly("o1");
        assertThat(read).as("read again once, then forgotten").containsExactly("o1");
    }

    @Test
    void aLockStillLockedIsForgottenAndLeftToThePaging() {
        assertThat(placesGivenBackByTwoRunsOfOneNow(OrderStatus.LOCKED)).isEmpty();
        assertThat(read).as("read again once, then forgotten").containsExactly("o1");
    }

    /** One lock whose close threw, {@code now} in the database, read again by two runs: the places given back. */
    private List<String> placesGivenBackByTwoRunsOfOneNow(OrderStatus now) {
        unsure.remember(order("o1", "t1", OrderStatus.LOCKED));
        rows.put("o1", order("o1", "t1", now));

        unsure.recheck();
        unsure.recheck();

        return givenBack;
    }

    @Test
    void anOrderGoneOrOfAnotherTeamGivesNothingBack() {
        unsure.remember(order("gone", "t1", OrderStatus.LOCKED));
        unsure.remember(order("moved", "t1", OrderStatus.LOCKED));
        rows.put("moved", order("moved", "t2", OrderStatus.CLOSED));

        unsure.recheck();

        assertThat(givenBack).isEmpty();
        assertThat(read).containsExactlyInAnyOrder("gone", "moved");
    }

    @Test
    void aReadThatFailsEndsTheRecheckAndKeepsEveryOrderForTheNextRun() {
        unsure.remember(order("o1", "t1", OrderStatus.LOCKED));
        unsure.remember(order("o2", "t1", OrderStatus.LOCKED));
        rows.put("o1", order("o1", "t1", OrderStatus.CLOSED));
        rows.put("o2", order("o2", "t1", OrderStatus.CLOSED));
        readsFailing = 1;

        unsure.recheck();
        assertThat(read).as("no read after the one that failed").isEmpty();

        unsure.recheck();
        assertThat(givenBack).containsExactlyInAnyOrder("o1", "o2");
    }

    @Test
    void atMostMaxOrdersAreRemembered() {
        for (int i = 0; i <= UnsureCloses.MAX; i++) {
            unsure.remember(order("o" + i, "t1", OrderStatus.LOCKED));
        }

        unsure.recheck();

        assertThat(read).hasSize(UnsureCloses.MAX);
    }

    private static MemberOrderView order(String orderId, String teamId, OrderStatus status) {
        return MemberOrderView.builder()
                .orderId(orderId)
                .teamId(teamId)
                .orderStatus(status)
                .build();
    }
}
