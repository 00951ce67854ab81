package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.guard.RateGuards;
import com.groupbuy.market.domain.trade.service.place.RefusalLooks;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock's own loops and answers that mutation testing found no test held: the five draws of fresh ids, a repeated
 * out trade number answered its order (not drawn again), the close checks' lease taken only for checks, and a join
 * Redis refuses (the reconciler's look, then one more try). Over in-memory ports.
 */
class TradeLockServiceDrawsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final NotifyLease LEASE = new NotifyLease("node-1", "token-1", NOW.plusSeconds(30));

    private final Scripted repository = new Scripted();
    private final InMemoryPlaces places = new InMemoryPlaces();
    private final List<String> looks = new ArrayList<>();
    private final List<String> dispatched = new ArrayList<>();
    private boolean counterWasWrong;
    private boolean closeChecksOn;

    private TradeLockService service() {
        TeamPlaceReconciler reconciler =
                new TeamPlaceReconciler(
                        null,
                        places,
                        Clock.systemUTC(),
                        Duration.ofMinutes(2),
                        Duration.ZERO,
                        10,
                        Duration.ofSeconds(10),
                        n -> {},
                        RefusalLooks.OFF,
                        new RunStop()) {
                    @Override
                    public boolean reconcileRefused(String teamId) {
                        looks.add(teamId);
                        return counterWasWrong;
                    }
                };
        INotifyDispatcher dispatcher = new INotifyDispatcher() {
            @Override
            public void dispatchAsync(long taskId) {
                dispatched.add(String.valueOf(taskId));
            }

            @Override
            public void dispatchLeasedCloseChecks(List<NotifyTaskVO> checks, NotifyLease lease) {
                dispatched.add(
                        "leased " + checks.stream().map(NotifyTaskVO::getId).toList() + " " + lease.token());
            }

            @Override
            public NotifyLease closeCheckLease() {
                return LEASE;
            }
        };
        return new TradeLockService(
                product -> LockServices.trial(product, NOW, 1).build(),
                repository,
                places,
                new TradeIds(),
                new CloseCheckPolicy(closeChecksOn, Duration.ofMinutes(15), Duration.ZERO, PaymentGrace.none()),
                dispatcher,
                reconciler,
                LockServices.allowedTargets(),
                RateGuards.none(),
                (source, channel) -> true);
    }

    @Test
    void aDrawnIdTakenFourTimesIsDrawnAFifthTime() {
        repository.refusals(DuplicateOrderException.Key.GENERATED_ID, 4);

        MarketPayOrderEntity order = service().lock(LockServices.command().build());

        assertThat(order.getOrderId()).isEqualTo(repository.written.get(4).getOrderId());
        assertThat(repository.written).hasSize(5);
        assertThat(repository.written.stream().map(LockOrderAggregate::getOrderId))
                .as("each draw a fresh order id")
                .doesNotHaveDuplicates();
    }

    @Test
    void fiveTakenDrawsAreAConflictToRetry() {
        repository.refusals(DuplicateOrderException.Key.GENERATED_ID, 5);

        assertThatThrownBy(() -> service().lock(LockServices.command().build()))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ResponseCode.UNIQUE_KEY_CONFLICT.getCode());
                    assertThat(e.getInfo()).contains("after 5 draws");
                });
        assertThat(repository.written).hasSize(5);
    }

    /** The out trade number taken by a racer answers the racer's order, whatever a fresh draw would have written. */
    @Test
    void aRepeatedOutTradeNoIsAnsweredItsOrderNotDrawnAgain() {
        repository.refusals(DuplicateOrderException.Key.OUT_TRADE_NO, 1);
        repository.racer = LockServices.written(LockOrderAggregate.builder()
                .orderId("100000000001")
                .teamId("10000001")
                .build());

        MarketPayOrderEntity order = service().lock(LockServices.command().build());

        assertThat(order).isSameAs(repository.racer);
        assertThat(repository.written).hasSize(1);
    }

    @Test
    void theCloseChecksLeaseIsTakenOnlyForALockWithCloseChecks() {
        closeChecksOn = true;
        service().lock(LockServices.command().build());
        closeChecksOn = false;
        service().lock(LockServices.command().build());

        assertThat(repository.written.get(0).getCloseChecks()).isNotEmpty();
        assertThat(repository.written.get(0).getCloseCheckLease()).isSameAs(LEASE);
        assertThat(repository.written.get(1).getCloseChecks()).isEmpty();
        assertThat(repository.written.get(1).getCloseCheckLease()).isNull();
    }

    @Test
    void aJoinRedisAdmitsAtOnceAsksNoReconciler() {
        repository.namedTeam = LockServices.openTeam("t-1", NOW);

        service().lock(LockServices.command().teamId("t-1").build());

        assertThat(places.asked).containsExactly("t-1 3 1");
        assertThat(looks).isEmpty();
        assertThat(repository.written).hasSize(1);
    }

    @Test
    void aJoinRedisRefusesWithTheCounterRightIsRefusedE0008() {
        repository.namedTeam = LockServices.openTeam("t-1", NOW);
        places.answers.add(false);

        assertThatThrownBy(() ->
                        service().lock(LockServices.command().teamId("t-1").build()))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0008.getCode()));
        assertThat(looks).containsExactly("t-1");
        assertThat(places.asked).hasSize(1);
        assertThat(repository.written).isEmpty();
    }

    @Test
    void aJoinRedisRefusedOverACounterTheReconcilerCorrectedTriesOnceMore() {
        repository.namedTeam = LockServices.openTeam("t-1", NOW);
        counterWasWrong = true;
        places.answers.add(false);
        places.answers.add(true);

        service().lock(LockServices.command().teamId("t-1").build());

        assertThat(looks).containsExactly("t-1");
        assertThat(places.asked).containsExactly("t-1 3 1", "t-1 3 1");
        assertThat(repository.written).hasSize(1);
    }

    @Test
    void aJoinRefusedAgainAfterTheCorrectionIsRefusedE0008() {
        repository.namedTeam = LockServices.openTeam("t-1", NOW);
        counterWasWrong = true;
        places.answers.add(false);
        places.answers.add(false);

        assertThatThrownBy(() ->
                        service().lock(LockServices.command().teamId("t-1").build()))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.E0008.getCode()));
        assertThat(places.asked).hasSize(2);
        assertThat(repository.written).isEmpty();
    }

    /** A written order's close checks are handed to delivery: leased ones with the lease, else by their task ids. */
    @Test
    void aWrittenLocksCloseChecksAreHandedToDelivery() {
        closeChecksOn = true;
        repository.leased = List.of(NotifyTaskVO.builder().id(11L).teamId("t").build());
        service().lock(LockServices.command().build());
        repository.leased = null;
        repository.taskIds = List.of(12L, 13L);
        service().lock(LockServices.command().build());

        assertThat(dispatched).containsExactly("leased [11] token-1", "12", "13");
    }

    /** No order yet; the named team as read; writes refused by the unique keys scripted, then written. */
    private static final class Scripted implements ITradeRepository {
        final Deque<DuplicateOrderException.Key> refusals = new ArrayDeque<>();
        final List<LockOrderAggregate> written = new ArrayList<>();
        Team namedTeam;
        MarketPayOrderEntity racer;
        List<NotifyTaskVO> leased;
        List<Long> taskIds;

        void refusals(DuplicateOrderException.Key key, int times) {
            for (int i = 0; i < times; i++) {
                refusals.add(key);
            }
        }

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            return racer;
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            return new LockLookupVO(null, 0, teamId == null ? null : namedTeam);
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            written.add(aggregate);
            DuplicateOrderException.Key refusal = refusals.poll();
            if (refusal != null) {
                throw new DuplicateOrderException(refusal, null);
            }
            return LockServices.writing(aggregate)
                    .leasedCloseChecks(leased)
                    .closeCheckTaskIds(taskIds)
                    .build();
        }
    }
}
