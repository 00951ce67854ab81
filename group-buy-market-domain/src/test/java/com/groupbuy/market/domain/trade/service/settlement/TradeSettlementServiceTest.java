package com.groupbuy.market.domain.trade.service.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.SettledOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.guard.RateGuards;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settlement's decisions over an in-memory store (no Spring, no database). */
class TradeSettlementServiceTest {

    private static final Instant PAID_AT = Instant.now().minusSeconds(60);

    /** What another transaction commits between a payment's read and its write (once; nothing unless a test says). */
    private Consumer<InMemoryTradeStore> meanwhile = store -> {};

    private final InMemoryTradeStore store = new InMemoryTradeStore() {
        @Override
        public OwedCallback settle(
                MemberOrderView view, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
            Consumer<InMemoryTradeStore> first = meanwhile;
            meanwhile = store -> {};
            first.accept(this);
            return super.settle(view, command, payment, callbackLease);
        }
    };
    private final List<Long> dispatched = new ArrayList<>();
    private TradeSettlementService service;

    @BeforeEach
    void setUp() {
        store.openTeam("t-1", 3, Instant.now().plusSeconds(3600), "u1", "u2", "u3");
        service = new TradeSettlementService(
                store,
                dispatched::add,
                (source, channel) -> true,
                new NotifyRoutes(false, Map.of(), (s, c) -> null),
                RateGuards.none());
    }

    private SettledOrderEntity settle(String user) {
        return service.settle(SettleCommand.builder()
                .source("s01")
                .channel("c01")
                .userId(user)
                .outTradeNo("out-" + user)
                .outTradeTime(PAID_AT)
                .build());
    }

    @Test
    void onlyThePaymentThatCompletesTheTeamOwesTheCallbackAndItIsOwedOnce() {
        assertThat(settle("u2").getNotifyTaskId()).isNull();
        assertThat(settle("u1").getNotifyTaskId()).isNull();
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(store.tasks).isEmpty();

        SettledOrderEntity last = settle("u3");

        assertThat(last.getNotifyTaskId()).isNotNull();
        assertThat(dispatched).containsExactly(last.getNotifyTaskId());
        assertThat(store.teams.get("t-1").status).isEqualTo(TeamStatus.COMPLETE.code());
        assertThat(store.teams.get("t-1").completeCount).isEqualTo(3);
        assertThat(store.tasks).containsOnlyKeys("t-1:trade_settlement");
        // Paid members in the order they locked, not the order they paid.
        assertThat(store.tasks.get("t-1:trade_settlement").getBody())
                .isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"out-u1\",\"out-u2\",\"out-u3\"]}");

        // A repeated notice answers as the first and owes nothing more.
        assertThat(settle("u3").getNotifyTaskId()).isNull();
        assertThat(store.tasks).hasSize(1);
        assertThat(dispatched).hasSize(1);
    }

    /**
     * A team mixed before teams were kept to their partner: its completing payment owes the other partner's callback
     * too, and hands it over at once like the team's own (found by mutation testing: not handing it over survived).
     */
    @Test
    void theCompletingPaymentOfAMixedTeamHandsOverEveryPartnersCallback() {
        store.order("u3").source = "s02";
        store.order("u3").channel = "c02";
        InMemoryTradeStore.TeamRow other =
                store.openTeam("t-2", 3, Instant.now().plusSeconds(3600));
        other.source = "s02";
        other.channel = "c02";
        other.notifyUrl = "https://other.example/success";
        settle("u1");
        settle("u2");

        SettledOrderEntity last = settle("u3");

        assertThat(store.tasks).hasSize(2);
        assertThat(dispatched).hasSize(2).contains(last.getNotifyTaskId());
    }

    /**
     * #19: a dispatcher that gives a lease gets the completing settlement's callback written under it and handed over
     * as written (no claim after commit); every payment asks for a lease (which one completes the team is known only
     * when written), only the completing one writes under it.
     */
    @Test
    void theCompletingCallbackIsWrittenUnderTheDispatchersLeaseAndHandedOverAsWritten() {
        NotifyLease lease = new NotifyLease("worker-1", "token-1", Instant.now().plusSeconds(60));
        List<String> calls = new ArrayList<>();
        List<NotifyTaskVO> handedOver = new ArrayList<>();
        service = new TradeSettlementService(
                store,
                new INotifyDispatcher() {
                    @Override
                    public void dispatchAsync(long taskId) {
                        calls.add("byId " + taskId);
                    }

                    @Override
                    public NotifyLease callbackLease() {
                        calls.add("lease");
                        return lease;
                    }

                    @Override
                    public void dispatchLeased(NotifyTaskVO task, NotifyLease given) {
                        assertThat(given).isSameAs(lease);
                        handedOver.add(task);
                    }
                },
                (source, channel) -> true,
                new NotifyRoutes(false, Map.of(), (s, c) -> null),
                RateGuards.none());

        settle("u1");
        settle("u2");
        assertThat(calls).containsExactly("lease", "lease"); // asked for, unused: these payments owe no callback
        assertThat(handedOver).isEmpty();
        SettledOrderEntity last = settle("u3");

        assertThat(calls).containsExactly("lease", "lease", "lease");
        assertThat(handedOver).singleElement().satisfies(task -> {
            assertThat(task.getId()).isEqualTo(last.getNotifyTaskId());
            assertThat(task.getClaimToken()).isEqualTo("token-1");
        });
    }

    @Test
    void aPaymentForAnOrderClosedUnpaidIsRecordedLateAndChangesNothing() {
        store.order("u1").status = OrderStatus.CLOSED.code();

        assertThatThrownBy(() -> settle("u1"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0208");
        assertThat(store.latePayments).containsEntry("o-u1", 1);
        assertThat(store.teams.get("t-1").completeCount).isZero();
    }

    @Test
    void aTeamNoLongerOpenTakesNoPayment() {
        store.teams.get("t-1").status = TeamStatus.FAILED.code();

        assertThatThrownBy(() -> settle("u1"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0206");
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    @Test
    void aSettledPaymentsRepeatIsAnsweredAsFirstBeforeItsPartnersRefusalWhichHoldsForTheRest() {
        AtomicBoolean admitted = new AtomicBoolean(true);
        service = new TradeSettlementService(
                store,
                dispatched::add,
                (source, channel) -> admitted.get(),
                new NotifyRoutes(false, Map.of(), (s, c) -> null),
                RateGuards.none());
        SettledOrderEntity first = settle("u1");
        admitted.set(false);

        assertThat(settle("u1")).usingRecursiveComparison().isEqualTo(first);
        assertThatThrownBy(() -> settle("u2"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0105");
        assertThatThrownBy(() -> settle("nobody"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0105");
        assertThat(store.latePayments).containsOnlyKeys("o-u2");
        assertThat(store.teams.get("t-1").completeCount).isEqualTo(1);
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.LOCKED.code());
    }

    /**
     * A payment whose guarded write finds the order or team changed since it read them is answered from what is
     * there now. A concurrent notice of the same payment settled it: the same answer, counted once.
     */
    @Test
    void aPaymentSettledMeanwhileByItsOwnRepeatGetsTheSameAnswerAndCountsOnce() {
        meanwhile = store -> settle("u1"); // the mall's repeat of the notice, committed first

        SettledOrderEntity answer = settle("u1");

        assertThat(answer.getOutTradeNo()).isEqualTo("out-u1");
        assertThat(answer.getTeamId()).isEqualTo("t-1");
        assertThat(store.teams.get("t-1").completeCount).isEqualTo(1);
        assertThat(store.latePayments).as("nothing to refund").isEmpty();
    }

    /** A close won the race (the timeout job): a late payment, recorded for the mall to refund its buyer. */
    @Test
    void aPaymentWhoseOrderWasClosedMeanwhileIsALatePaymentTheMallMustRefund() {
        meanwhile = store -> store.order("u1").status = OrderStatus.CLOSED.code();

        assertThatThrownBy(() -> settle("u1"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0208");
        assertThat(store.latePayments).containsOnlyKeys("o-u1");
        assertThat(store.teams.get("t-1").completeCount).isZero();
    }

    /** Anything else (the team failed meanwhile): refused E0206 and recorded, the order left as it was. */
    @Test
    void aPaymentWhoseTeamFailedMeanwhileIsRefusedAndRecorded() {
        meanwhile = store -> store.teams.get("t-1").status = TeamStatus.FAILED.code();

        assertThatThrownBy(() -> settle("u1"))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0206");
        assertThat(store.latePayments).containsOnlyKeys("o-u1");
        assertThat(store.order("u1").status).isEqualTo(OrderStatus.LOCKED.code());
    }
}
