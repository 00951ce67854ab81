package com.groupbuy.market.domain.trade.service.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.SettledOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.guard.RateGuards;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A committed write is never answered as an error: a payment notice repeating one we settled is answered as its first
 * settlement while Redis (the rate buckets) is unavailable, since it needs the database alone; a payment not yet taken
 * is refused E0401 with nothing written or recorded (no write past an uncounted rate), and another partner's order
 * under the same user and out trade number is no repeat of the caller's. Over an in-memory store.
 */
class TradeSettlementRedisOutageTest {

    private static final Instant PAID_AT = Instant.now().minusSeconds(60);

    private final InMemoryTradeStore store = new InMemoryTradeStore();
    private final List<Long> dispatched = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store.openTeam("t-1", 3, Instant.now().plusSeconds(3600), "u1", "u2");
    }

    @Test
    void aRepeatOfASettledPaymentIsAnsweredAsItsFirstWhileTheRatesCannotBeCounted() {
        SettledOrderEntity first = service(RateGuards.none()).settle(settle("s01", "c01", "u1"));

        SettledOrderEntity again = service(RateGuards.redisDown()).settle(settle("s01", "c01", "u1"));

        assertThat(again)
                .usingRecursiveComparison()
                .ignoringFields("notifyTaskId")
                .isEqualTo(first);
        assertThat(store.teams.get("t-1").completeCount).isEqualTo(1);
        assertThat(store.latePayments).isEmpty();
    }

    @Test
    void aRefundedPaymentsRepeatIsAnsweredAsItsFirstWhileTheRatesCannotBeCounted() {
        service(RateGuards.none()).settle(settle("s01", "c01", "u1"));
        store.order("u1").status = OrderStatus.CLOSED.code();

        assertThat(service(RateGuards.redisDown())
                        .settle(settle("s01", "c01", "u1"))
                        .getTeamId())
                .isEqualTo("t-1");
        assertThat(store.latePayments).isEmpty();
    }

    @Test
    void aPaymentNotYetTakenIsRefusedWithNothingWrittenOrRecorded() {
        assertThatThrownBy(() -> service(RateGuards.redisDown()).settle(settle("s01", "c01", "u2")))
                .isInstanceOfSatisfying(
                        DependencyUnavailableException.class,
                        e -> assertThat(e.isRedis()).isTrue());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.LOCKED.code());
        assertThat(store.teams.get("t-1").completeCount).isZero();
        assertThat(store.latePayments).isEmpty();
        assertThat(dispatched).isEmpty();
    }

    @Test
    void anotherPartnersSettledOrderUnderTheSameUserAndOutTradeNoIsNoRepeat() {
        service(RateGuards.none()).settle(settle("s01", "c01", "u1"));

        assertThatThrownBy(() -> service(RateGuards.redisDown()).settle(settle("s02", "c02", "u1")))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(store.latePayments).isEmpty();
    }

    private TradeSettlementService service(TradeRateGuard rateGuard) {
        return new TradeSettlementService(
                store,
                dispatched::add,
                (source, channel) -> true,
                new NotifyRoutes(false, Map.of(), (s, c) -> null),
                rateGuard);
    }

    private static SettleCommand settle(String source, String channel, String user) {
        return SettleCommand.builder()
                .source(source)
                .channel(channel)
                .userId(user)
                .outTradeNo("out-" + user)
                .outTradeTime(PAID_AT)
                .build();
    }
}
