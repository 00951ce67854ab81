package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.RefundCommand;
import com.groupbuy.market.domain.trade.model.entity.RefundResultEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How often a refund reads and writes when its guarded write keeps affecting nothing: three attempts, each after the
 * first on a fresh read of the order, then {@code fail}. Found by mutation testing: one attempt fewer, or a re-read
 * on the first attempt too, or none at all, survived.
 */
class TradeRefundAttemptsTest {

    private static final Instant END = Instant.parse("2026-12-01T10:00:00Z");

    private final Racing store = new Racing();
    private final TradeRefundService service = new TradeRefundService(
            store,
            (ITeamPlaceReservation) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {ITeamPlaceReservation.class},
                    (proxy, method, args) -> false),
            taskId -> {},
            (source, channel) -> true,
            new NotifyRoutes(true, Map.of(), (s, c) -> null));

    @Test
    void aWriteThatKeepsAffectingNothingIsTriedThreeTimesOnFreshReadsThenFails() {
        store.openTeam("t-1", 3, END, "u1");
        store.raceEveryWrite = true;

        RefundResultEntity answer = refund();

        assertThat(answer.getCode()).isEqualTo(RefundResultEntity.FAIL);
        assertThat(store.writes).as("guarded writes").isEqualTo(3);
        assertThat(store.reads).as("the first read, then one before each retry").isEqualTo(3);
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    /** The retry decides from what is there now: an order another refund closed meanwhile is a repeat. */
    @Test
    void aRetryReadsTheOrderAgainAndAnswersARepeatWhenItWasClosedMeanwhile() {
        store.openTeam("t-1", 3, END, "u1");
        store.closeOnFirstWrite = true;

        RefundResultEntity answer = refund();

        assertThat(answer.getCode()).isEqualTo(RefundResultEntity.REPEAT);
        assertThat(store.writes).isEqualTo(1);
        assertThat(store.reads).isEqualTo(2);
    }

    private RefundResultEntity refund() {
        return service.refund(RefundCommand.builder()
                .source("s01")
                .channel("c01")
                .userId("u1")
                .outTradeNo("out-u1")
                .build());
    }

    /** The store, with another writer changing the order between each read and write when asked to. */
    private static final class Racing extends InMemoryTradeStore {
        boolean raceEveryWrite;
        boolean closeOnFirstWrite;
        int reads;
        int writes;

        @Override
        public MemberOrderView queryOrder(PartnerOrderKey key) {
            reads++;
            return super.queryOrder(key);
        }

        @Override
        public List<Long> refund(MemberRefund refund) {
            writes++;
            if (closeOnFirstWrite) {
                closeOnFirstWrite = false;
                orders.get(refund.orderId()).status = OrderStatus.CLOSED.code();
                teams.get(refund.teamId()).lockCount--;
            }
            if (raceEveryWrite) {
                throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
            }
            return super.refund(refund);
        }
    }
}
